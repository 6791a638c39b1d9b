import fc from 'fast-check';
import { KafkaError } from '../../errors.js';
import { expectKafkaError } from '../../log/batch/testing/expect-kafka-error.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { decodeApiVersionsRequest, encodeApiVersionsRequest } from './request.js';
import { makeApiVersionsResponse, decodeApiVersionsResponse, encodeApiVersionsResponse } from './response.js';

const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const hexOf = (w: Writer): string => w.toBuffer().toString('hex');

const TWO_APIS = [
  { apiKey: 18, minVersion: 0, maxVersion: 3 },
  { apiKey: 3, minVersion: 0, maxVersion: 12 },
];

describe('ApiVersions request', () => {
  it('has an empty body before v3', () => {
    for (const v of [0, 1, 2]) {
      expect(hexOf(encodeApiVersionsRequest(new Writer(), { clientSoftwareName: 'x', clientSoftwareVersion: 'y' }, v))).toBe('');
      expect(decodeApiVersionsRequest(new Reader(Buffer.alloc(0)), v)).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
    }
  });

  it('decodes v3 from hand-derived bytes', () => {
    // compact "kcat" (length 4 + 1), compact "1.7", no tagged fields
    const r = new Reader(bytes('05 6b636174  04 312e37  00'));
    expect(decodeApiVersionsRequest(r, 3)).toEqual({ clientSoftwareName: 'kcat', clientSoftwareVersion: '1.7' });
    expect(r.remaining).toBe(0);
    expect(hexOf(encodeApiVersionsRequest(new Writer(), { clientSoftwareName: 'kcat', clientSoftwareVersion: '1.7' }, 3))).toBe('056b63617404312e3700');
  });

  it('rejects versions it does not speak and malformed v3 bodies', () => {
    expectKafkaError(() => decodeApiVersionsRequest(new Reader(Buffer.alloc(0)), 4), 'UNSUPPORTED_VERSION');
    expectKafkaError(() => decodeApiVersionsRequest(new Reader(bytes('00 01 00')), 3), 'INVALID_REQUEST', /null/);
    expectKafkaError(() => decodeApiVersionsRequest(new Reader(bytes('05 6b63')), 3), 'INVALID_REQUEST', /exceeds/);
  });
});

describe('ApiVersions response', () => {
  it('encodes v0 as hand-derived bytes', () => {
    const response = makeApiVersionsResponse({ apiKeys: TWO_APIS });
    const expected = '0000' + '00000002' + '0012 0000 0003' + '0003 0000 000c';
    expect(hexOf(encodeApiVersionsResponse(new Writer(), response, 0))).toBe(expected.replace(/ /g, ''));
    expect(decodeApiVersionsResponse(new Reader(bytes(expected)), 0)).toEqual(response);
  });

  it('adds throttle_time_ms from v1', () => {
    const response = makeApiVersionsResponse({ apiKeys: TWO_APIS, throttleTimeMs: 5 });
    expect(hexOf(encodeApiVersionsResponse(new Writer(), response, 1))).toMatch(/00000005$/);
  });

  it('encodes v3 as hand-derived bytes: compact array, per-entry and top-level tag sections', () => {
    const response = makeApiVersionsResponse({ apiKeys: TWO_APIS, zkMigrationReady: true });
    const expected =
      '0000' + // error_code
      '03' + // compact array of 2 (2 + 1)
      '0012 0000 0003 00' + // ApiVersions 0..3, no tags
      '0003 0000 000c 00' + // Metadata 0..12, no tags
      '00000000' + // throttle_time_ms
      '01 03 01 01'; // one tagged field: tag 3 (zk_migration_ready), 1 byte, true
    expect(hexOf(encodeApiVersionsResponse(new Writer(), response, 3))).toBe(expected.replace(/ /g, ''));
    expect(decodeApiVersionsResponse(new Reader(bytes(expected)), 3)).toEqual(response);
  });

  it('writes no tagged fields when all of them hold their defaults', () => {
    expect(hexOf(encodeApiVersionsResponse(new Writer(), makeApiVersionsResponse(), 3))).toBe('0000' + '01' + '00000000' + '00');
  });

  it('round-trips every version, v3 with its feature tags', () => {
    const name = fc.string({ maxLength: 12 });
    const i16 = fc.integer({ min: -32768, max: 32767 });
    const range = fc.record({ apiKey: i16, minVersion: i16, maxVersion: i16 });
    fc.assert(
      fc.property(
        fc.record({
          errorCode: i16,
          apiKeys: fc.array(range, { maxLength: 8 }),
          throttleTimeMs: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          supportedFeatures: fc.array(fc.record({ name, minVersion: i16, maxVersion: i16 }), { maxLength: 3 }),
          finalizedFeaturesEpoch: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
          finalizedFeatures: fc.array(fc.record({ name, maxVersionLevel: i16, minVersionLevel: i16 }), { maxLength: 3 }),
          zkMigrationReady: fc.boolean(),
        }),
        fc.integer({ min: 0, max: 3 }),
        (response, version) => {
          const r = new Reader(encodeApiVersionsResponse(new Writer(), response, version).toBuffer());
          const decoded = decodeApiVersionsResponse(r, version);
          expect(r.remaining).toBe(0);
          const carried = version >= 3 ? response : makeApiVersionsResponse({ errorCode: response.errorCode, apiKeys: response.apiKeys });
          expect(decoded).toEqual({ ...carried, throttleTimeMs: version >= 1 ? response.throttleTimeMs : 0 });
        },
      ),
    );
  });

  it('only ever throws KafkaError on a truncated or mutated response', () => {
    const full = encodeApiVersionsResponse(
      new Writer(),
      makeApiVersionsResponse({ apiKeys: TWO_APIS, supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 19 }], finalizedFeaturesEpoch: 4n }),
      3,
    ).toBuffer();
    fc.assert(
      fc.property(fc.nat(full.length), fc.nat(full.length - 1), fc.integer({ min: 0, max: 255 }), (cut, at, value) => {
        const mutated = Buffer.from(full);
        mutated[at] = value;
        for (const input of [full.subarray(0, cut), mutated]) {
          try {
            decodeApiVersionsResponse(new Reader(input), 3);
          } catch (err) {
            expect(err).toBeInstanceOf(KafkaError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
