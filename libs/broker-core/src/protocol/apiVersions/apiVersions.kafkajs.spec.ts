import { createRequire } from 'node:module';
import { FrameDecoder } from '../frame-decoder.js';
import { decodeRequestHeader, encodeResponseHeaderFor } from '../header.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { decodeApiVersionsRequest } from './request.js';
import { makeApiVersionsResponse, encodeApiVersionsResponse } from './response.js';

/**
 * Compatibility with kafkajs 2.2.4, an independent implementation (a devDependency, loaded
 * only here): its ApiVersions v0-v2 request frames decode with our codecs, and our
 * responses decode with its response decoders. kafkajs has no v3; the v3 bytes are pinned
 * by hand-derived fixtures in apiVersions.spec.ts.
 */
const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}

interface KafkajsApiVersionsProtocol {
  request: { apiKey: number; apiVersion: number; encode(): Promise<KafkajsEncoder> };
  response: {
    decode(payload: Buffer): Promise<{ errorCode: number; apiVersions: unknown[]; throttleTime?: number; clientSideThrottleTime?: number }>;
    parse(data: unknown): Promise<unknown>;
  };
}

const apiVersions = require('kafkajs/src/protocol/requests/apiVersions') as {
  /** Returns a factory per version, as kafkajs's request index files do. */
  protocol(args: { version: number }): () => KafkajsApiVersionsProtocol;
};
const encodeKafkajsRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkajsApiVersionsProtocol['request'];
}) => Promise<KafkajsEncoder>;

const RANGES = [
  { apiKey: 18, minVersion: 0, maxVersion: 3 },
  { apiKey: 3, minVersion: 0, maxVersion: 12 },
];

describe.each([0, 1, 2])('kafkajs ApiVersions v%i', (version) => {
  const { request, response } = apiVersions.protocol({ version })();

  it('sends a request frame that our decoders read', async () => {
    const frame = (await encodeKafkajsRequest({ correlationId: 41, clientId: 'kafkajs-compat', request })).buffer;
    // Fed in two pieces, as a socket may deliver it.
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(frame.subarray(0, 3)), ...decoder.push(frame.subarray(3))];
    expect(frames).toHaveLength(1);
    const reader = new Reader(frames[0]!);
    expect(decodeRequestHeader(reader)).toEqual({ apiKey: 18, apiVersion: version, correlationId: 41, clientId: 'kafkajs-compat', headerVersion: 1 });
    expect(decodeApiVersionsRequest(reader, version)).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
    expect(reader.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const bytes = encodeResponseHeaderFor(new Writer(), { apiKey: 18, apiVersion: version, correlationId: 41 });
    encodeApiVersionsResponse(bytes, makeApiVersionsResponse({ apiKeys: RANGES, throttleTimeMs: 9 }), version);
    // kafkajs strips the correlation id (response header v0) before calling decode.
    const payload = bytes.toBuffer();
    expect(payload.readInt32BE(0)).toBe(41);
    const decoded = await response.decode(payload.subarray(4));
    expect(decoded.errorCode).toBe(0);
    expect(decoded.apiVersions).toEqual(RANGES);
    // From v2 the broker answers before throttling, so kafkajs moves the value to the client side.
    if (version === 1) expect(decoded.throttleTime).toBe(9);
    if (version === 2) expect(decoded.clientSideThrottleTime).toBe(9);
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });

  it('raises UNSUPPORTED_VERSION from our v0 fallback answer', async () => {
    const body = encodeApiVersionsResponse(new Writer(), makeApiVersionsResponse({ errorCode: 35, apiKeys: RANGES }), 0).toBuffer();
    await expect(apiVersions.protocol({ version: 0 })().response.decode(body)).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });
});
