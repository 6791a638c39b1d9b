import { KafkaError } from '../../errors.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';

/**
 * ApiVersions Request (Version: 0) =>
 * ApiVersions Request (Version: 1) =>
 * ApiVersions Request (Version: 2) =>
 *   (v1 and v2 only announce that the client reads the newer response versions)
 * ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *   (the first flexible version: request header v2, but the response header stays v0)
 */
export interface ApiVersionsRequest {
  /** Empty before v3, which is also Kafka's default for these fields. */
  clientSoftwareName: string;
  clientSoftwareVersion: string;
}

export const API_VERSIONS_MIN_VERSION = 0;
export const API_VERSIONS_MAX_VERSION = 3;

/** Shared by the request and response codecs: both speak exactly these versions. */
export function checkApiVersionsVersion(version: number): void {
  if (version < API_VERSIONS_MIN_VERSION || version > API_VERSIONS_MAX_VERSION) {
    throw new KafkaError('UNSUPPORTED_VERSION', `ApiVersions v${version}`);
  }
}

export function decodeApiVersionsRequest(reader: Reader, version: number): ApiVersionsRequest {
  checkApiVersionsVersion(version);
  if (version < 3) return { clientSoftwareName: '', clientSoftwareVersion: '' };
  const clientSoftwareName = reader.compactString();
  const clientSoftwareVersion = reader.compactString();
  reader.taggedFields();
  return { clientSoftwareName, clientSoftwareVersion };
}

export function encodeApiVersionsRequest(writer: Writer, request: ApiVersionsRequest, version: number): Writer {
  checkApiVersionsVersion(version);
  if (version < 3) return writer;
  return writer.compactString(request.clientSoftwareName).compactString(request.clientSoftwareVersion).taggedFields();
}
