import { API_CATALOG } from './api-catalog.js';

/**
 * Kafka API keys and, per key, the first flexible version (KIP-482), both taken from the
 * generated codecs (api-catalog.ts): from that version on a request uses header v2 and a
 * response header v1, except that ApiVersions responses keep header v0 forever, because a
 * client parses that response before it knows which versions the broker speaks.
 */
type CatalogEntry = (typeof API_CATALOG)[number];

export type ApiName = CatalogEntry['name'];

export const API_KEYS = Object.fromEntries(API_CATALOG.map((api) => [api.name, api.apiKey])) as {
  readonly [Api in CatalogEntry as Api['name']]: Api['apiKey'];
};

const FIRST_FLEXIBLE_VERSION: ReadonlyMap<number, number> = new Map(API_CATALOG.map((api) => [api.apiKey, api.firstFlexible]));

/** APIs whose responses never carry header tagged fields. */
const RESPONSE_HEADER_ALWAYS_V0: ReadonlySet<number> = new Set([API_KEYS.ApiVersions]);

export function isFlexibleVersion(apiKey: number, apiVersion: number): boolean {
  const first = FIRST_FLEXIBLE_VERSION.get(apiKey);
  return first !== undefined && apiVersion >= first;
}

/**
 * Header v0 (no client id) is only used by ControlledShutdown v0, which Weir never serves.
 * Unknown keys get v1 so that the correlation id and client id can still be read and the
 * failure logged against them.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  return isFlexibleVersion(apiKey, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (RESPONSE_HEADER_ALWAYS_V0.has(apiKey)) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}
