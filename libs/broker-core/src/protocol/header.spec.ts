import { expectKafkaError } from '../log/batch/testing/expect-kafka-error.js';
import { API_KEYS, isFlexibleVersion, requestHeaderVersion, responseHeaderVersion } from './api-keys.js';
import { decodeRequestHeader, decodeResponseHeader, encodeRequestHeader, encodeResponseHeader, encodeResponseHeaderFor } from './header.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

describe('header versions', () => {
  it('follows each API’s first flexible version', () => {
    expect([0, 1, 2, 3].map((v) => requestHeaderVersion(API_KEYS.ApiVersions, v))).toEqual([1, 1, 1, 2]);
    expect([8, 9, 12].map((v) => requestHeaderVersion(API_KEYS.Metadata, v))).toEqual([1, 2, 2]);
    expect([8, 9].map((v) => responseHeaderVersion(API_KEYS.Metadata, v))).toEqual([0, 1]);
    expect(isFlexibleVersion(API_KEYS.Metadata, 8)).toBe(false);
  });

  it('keeps the ApiVersions response header at v0 even for flexible versions', () => {
    expect(isFlexibleVersion(API_KEYS.ApiVersions, 3)).toBe(true);
    expect(responseHeaderVersion(API_KEYS.ApiVersions, 3)).toBe(0);
  });

  it('reads unknown APIs with header v1', () => {
    expect(requestHeaderVersion(999, 0)).toBe(1);
  });
});

describe('request header', () => {
  it('decodes v1 from hand-derived bytes', () => {
    // api_key 18, api_version 2, correlation_id 7, client_id "ab"; then the body byte 0x2a
    const r = new Reader(Buffer.from('0012' + '0002' + '00000007' + '00026162' + '2a', 'hex'));
    expect(decodeRequestHeader(r)).toEqual({ apiKey: 18, apiVersion: 2, correlationId: 7, clientId: 'ab', headerVersion: 1 });
    expect(r.int8()).toBe(0x2a);
  });

  it('decodes v2: client_id stays a plain nullable string, then tagged fields (unknown ones skipped)', () => {
    const r = new Reader(Buffer.from('0012' + '0003' + '00000009' + 'ffff' + '01' + '0502abcd' + '2a', 'hex'));
    expect(decodeRequestHeader(r)).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 9, clientId: null, headerVersion: 2 });
    expect(r.int8()).toBe(0x2a);
  });

  it('decodes v0 when asked (no client id)', () => {
    const r = new Reader(Buffer.from('0007' + '0000' + '00000001', 'hex'));
    expect(decodeRequestHeader(r, 0)).toEqual({ apiKey: 7, apiVersion: 0, correlationId: 1, clientId: null, headerVersion: 0 });
  });

  it('round-trips through the encoder', () => {
    for (const [apiKey, apiVersion] of [[18, 0], [18, 3], [3, 9], [3, 1]] as const) {
      const header = { apiKey, apiVersion, correlationId: -5, clientId: 'weir-test' };
      const r = new Reader(encodeRequestHeader(new Writer(), header).toBuffer());
      expect(decodeRequestHeader(r)).toMatchObject(header);
      expect(r.remaining).toBe(0);
    }
  });

  it('rejects a truncated header with a KafkaError', () => {
    expectKafkaError(() => decodeRequestHeader(new Reader(Buffer.from('00120003000000', 'hex'))), 'CORRUPT_MESSAGE');
    expectKafkaError(() => decodeRequestHeader(new Reader(Buffer.from('001200030000000100056162', 'hex'))), 'INVALID_REQUEST');
  });
});

describe('response header', () => {
  it('encodes v0 as the correlation id and v1 with an empty tag section', () => {
    expect(encodeResponseHeader(new Writer(), 7, 0).toBuffer().toString('hex')).toBe('00000007');
    expect(encodeResponseHeader(new Writer(), 7, 1).toBuffer().toString('hex')).toBe('0000000700');
    expect(encodeResponseHeaderFor(new Writer(), { apiKey: 3, apiVersion: 9, correlationId: 1 }).toBuffer().toString('hex')).toBe('0000000100');
    expect(decodeResponseHeader(new Reader(Buffer.from('0000000700', 'hex')), 1)).toEqual({ correlationId: 7 });
  });
});
