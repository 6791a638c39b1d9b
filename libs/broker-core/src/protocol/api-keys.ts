/**
 * Kafka API keys and, per key, the first flexible version (KIP-482): from that version on
 * a request uses header v2 and a response header v1, except that ApiVersions responses
 * keep header v0 forever, because a client parses that response before it knows which
 * versions the broker speaks.
 *
 * Only the APIs implemented so far are listed; each new API adds a row.
 */
export const API_KEYS = {
  Metadata: 3,
  ApiVersions: 18,
} as const;

export type ApiName = keyof typeof API_KEYS;

interface ApiHeaderRule {
  firstFlexibleVersion: number;
  /** True when responses never carry header tagged fields (ApiVersions only). */
  responseHeaderAlwaysV0?: boolean;
}

const HEADER_RULES: ReadonlyMap<number, ApiHeaderRule> = new Map([
  [API_KEYS.Metadata, { firstFlexibleVersion: 9 }],
  [API_KEYS.ApiVersions, { firstFlexibleVersion: 3, responseHeaderAlwaysV0: true }],
]);

export function isFlexibleVersion(apiKey: number, apiVersion: number): boolean {
  const rule = HEADER_RULES.get(apiKey);
  return rule !== undefined && apiVersion >= rule.firstFlexibleVersion;
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
  if (HEADER_RULES.get(apiKey)?.responseHeaderAlwaysV0) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}
