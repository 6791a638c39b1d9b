import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeApiVersionsRequest, encodeApiVersionsResponse, makeApiVersionsResponse, makeApiVersionsResponseApiVersion } from '../../protocol/apiVersions/index.js';
import { encodeResponseHeader, type RequestHeader } from '../../protocol/header.js';
import type { Writer } from '../../protocol/primitives/writer.js';
import { defineHandler } from './define-handler.js';

const MIN_VERSION = 0;
const MAX_VERSION = 3;

/**
 * ApiVersions: the versions of every API this listener serves, and nothing it does not
 * (transaction and SASL APIs appear when they are served).
 */
export const apiVersionsHandler = defineHandler({
  apiKey: API_KEYS.ApiVersions,
  name: 'ApiVersions',
  minVersion: MIN_VERSION,
  maxVersion: MAX_VERSION,
  decode: decodeApiVersionsRequest,
  encode: encodeApiVersionsResponse,
  handle(ctx) {
    const apiKeys = [...ctx.handlers.values()]
      .map((h) => makeApiVersionsResponseApiVersion({ apiKey: h.apiKey, minVersion: h.advertisedMinVersion ?? h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
    return makeApiVersionsResponse({ apiKeys });
  },
});

/**
 * A client that asks ApiVersions in a version newer than the broker's gets a v0 response
 * with UNSUPPORTED_VERSION and the broker's own range for ApiVersions, and retries with
 * that (KIP-511). Any other API in an unsupported version has no answer: returns false,
 * and the connection is closed.
 */
export function unsupportedVersionResponse(header: RequestHeader, out: Writer): boolean {
  if (header.apiKey !== API_KEYS.ApiVersions) return false;
  encodeResponseHeader(out, header.correlationId, 0);
  const range = makeApiVersionsResponseApiVersion({ apiKey: API_KEYS.ApiVersions, minVersion: MIN_VERSION, maxVersion: MAX_VERSION });
  encodeApiVersionsResponse(out, makeApiVersionsResponse({ errorCode: KAFKA_ERRORS.UNSUPPORTED_VERSION.code, apiKeys: [range] }), 0);
  return true;
}
