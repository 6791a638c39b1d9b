import { API_KEYS } from '../../protocol/api-keys.js';
import { apiVersionsResponse, decodeApiVersionsRequest, encodeApiVersionsResponse } from '../../protocol/apiVersions/index.js';
import { encodeResponseHeader, type RequestHeader } from '../../protocol/header.js';
import type { Writer } from '../../protocol/primitives/writer.js';
import { KAFKA_ERRORS } from '../../errors.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * ApiVersions: the versions of every API this listener serves, and nothing it does not
 * (group, transaction and SASL APIs appear when they are served).
 */
export const apiVersionsHandler: ApiHandler = {
  apiKey: API_KEYS.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  handle(ctx, header, body, out) {
    decodeApiVersionsRequest(body, header.apiVersion);
    const apiKeys = [...ctx.handlers.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
    encodeApiVersionsResponse(out, apiVersionsResponse({ apiKeys }), header.apiVersion);
    return true;
  },
};

/**
 * A client that asks ApiVersions in a version newer than the broker's gets a v0 response
 * with UNSUPPORTED_VERSION and the broker's own range for ApiVersions, and retries with
 * that (KIP-511). Any other API in an unsupported version has no answer: returns false,
 * and the connection is closed.
 */
export function unsupportedVersionResponse(header: RequestHeader, out: Writer): boolean {
  if (header.apiKey !== API_KEYS.ApiVersions) return false;
  encodeResponseHeader(out, header.correlationId, 0);
  const range = { apiKey: API_KEYS.ApiVersions, minVersion: apiVersionsHandler.minVersion, maxVersion: apiVersionsHandler.maxVersion };
  encodeApiVersionsResponse(out, apiVersionsResponse({ errorCode: KAFKA_ERRORS.UNSUPPORTED_VERSION.code, apiKeys: [range] }), 0);
  return true;
}
