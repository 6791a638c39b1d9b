import { Reader } from '../primitives/reader.js';
import { type TaggedField, Writer } from '../primitives/writer.js';
import { checkApiVersionsVersion } from './request.js';

/**
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   throttle_time_ms => INT32
 * ApiVersions Response (Version: 2) => same as v1 (the broker may answer before throttling)
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   api_keys => COMPACT_ARRAY of api_key min_version max_version TAG_BUFFER
 *   tagged fields:
 *     0: supported_features => COMPACT_ARRAY of name min_version max_version TAG_BUFFER
 *          name => COMPACT_STRING; min_version, max_version => INT16
 *     1: finalized_features_epoch => INT64 (default -1)
 *     2: finalized_features => COMPACT_ARRAY of name max_version_level min_version_level TAG_BUFFER
 *          name => COMPACT_STRING; max_version_level, min_version_level => INT16
 *     3: zk_migration_ready => BOOLEAN (default false)
 *
 * The response header is v0 for every version (see api-keys.ts).
 */
export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface SupportedFeature {
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface FinalizedFeature {
  name: string;
  maxVersionLevel: number;
  minVersionLevel: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** Written from v1 on. */
  throttleTimeMs: number;
  /** Tagged fields, v3 on; defaults (empty, -1, false) are not written. */
  supportedFeatures: SupportedFeature[];
  finalizedFeaturesEpoch: bigint;
  finalizedFeatures: FinalizedFeature[];
  zkMigrationReady: boolean;
}

export function apiVersionsResponse(fields: Partial<ApiVersionsResponse> = {}): ApiVersionsResponse {
  return {
    errorCode: 0,
    apiKeys: [],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
    ...fields,
  };
}

const TAG_SUPPORTED_FEATURES = 0;
const TAG_FINALIZED_FEATURES_EPOCH = 1;
const TAG_FINALIZED_FEATURES = 2;
const TAG_ZK_MIGRATION_READY = 3;

/**
 * Encodes any version 0..3 of the response. A v0 response is also the answer to an
 * ApiVersions request of a version Weir does not speak: the client can always read v0.
 */
export function encodeApiVersionsResponse(writer: Writer, response: ApiVersionsResponse, version: number): Writer {
  checkApiVersionsVersion(version);
  const flexible = version >= 3;
  writer.int16(response.errorCode);
  const writeRange = (w: Writer, r: ApiVersionRange): void => {
    w.int16(r.apiKey).int16(r.minVersion).int16(r.maxVersion);
    if (flexible) w.taggedFields();
  };
  if (flexible) writer.compactArray(response.apiKeys, writeRange);
  else writer.array(response.apiKeys, writeRange);
  if (version >= 1) writer.int32(response.throttleTimeMs);
  if (flexible) writer.taggedFields(taggedFieldsOf(response));
  return writer;
}

function taggedFieldsOf(response: ApiVersionsResponse): TaggedField[] {
  const fields: TaggedField[] = [];
  if (response.supportedFeatures.length > 0) {
    const w = new Writer().compactArray(response.supportedFeatures, (fw, f) => {
      fw.compactString(f.name).int16(f.minVersion).int16(f.maxVersion).taggedFields();
    });
    fields.push({ tag: TAG_SUPPORTED_FEATURES, data: w.toBuffer() });
  }
  if (response.finalizedFeaturesEpoch !== -1n) {
    fields.push({ tag: TAG_FINALIZED_FEATURES_EPOCH, data: new Writer(8).int64(response.finalizedFeaturesEpoch).toBuffer() });
  }
  if (response.finalizedFeatures.length > 0) {
    const w = new Writer().compactArray(response.finalizedFeatures, (fw, f) => {
      fw.compactString(f.name).int16(f.maxVersionLevel).int16(f.minVersionLevel).taggedFields();
    });
    fields.push({ tag: TAG_FINALIZED_FEATURES, data: w.toBuffer() });
  }
  if (response.zkMigrationReady) fields.push({ tag: TAG_ZK_MIGRATION_READY, data: new Writer(1).boolean(true).toBuffer() });
  return fields;
}

export function decodeApiVersionsResponse(reader: Reader, version: number): ApiVersionsResponse {
  checkApiVersionsVersion(version);
  const flexible = version >= 3;
  const response = apiVersionsResponse({ errorCode: reader.int16() });
  const readRange = (r: Reader): ApiVersionRange => {
    const range = { apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() };
    if (flexible) r.taggedFields();
    return range;
  };
  response.apiKeys = flexible ? reader.compactArray(readRange) : reader.array(readRange);
  if (version >= 1) response.throttleTimeMs = reader.int32();
  if (flexible) {
    reader.taggedFields((tag, field) => {
      switch (tag) {
        case TAG_SUPPORTED_FEATURES:
          response.supportedFeatures = field.compactArray((r) => {
            const f = { name: r.compactString(), minVersion: r.int16(), maxVersion: r.int16() };
            r.taggedFields();
            return f;
          });
          return true;
        case TAG_FINALIZED_FEATURES_EPOCH:
          response.finalizedFeaturesEpoch = field.int64();
          return true;
        case TAG_FINALIZED_FEATURES:
          response.finalizedFeatures = field.compactArray((r) => {
            const f = { name: r.compactString(), maxVersionLevel: r.int16(), minVersionLevel: r.int16() };
            r.taggedFields();
            return f;
          });
          return true;
        case TAG_ZK_MIGRATION_READY:
          response.zkMigrationReady = field.boolean();
          return true;
        default:
          return false;
      }
    });
  }
  return response;
}

