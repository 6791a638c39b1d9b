import { requestHeaderVersion, responseHeaderVersion } from './api-keys.js';
import type { Reader } from './primitives/reader.js';
import type { Writer } from './primitives/writer.js';

/**
 * Request Header v0 => request_api_key request_api_version correlation_id
 * Request Header v1 => request_api_key request_api_version correlation_id client_id
 *   client_id => NULLABLE_STRING
 * Request Header v2 => request_api_key request_api_version correlation_id client_id TAG_BUFFER
 *   (client_id stays a non-compact NULLABLE_STRING even in v2, so that any broker can read
 *   it before knowing whether the API version is flexible)
 *
 * Response Header v0 => correlation_id
 * Response Header v1 => correlation_id TAG_BUFFER
 */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  headerVersion: 0 | 1 | 2;
}

/**
 * Reads a request header from the start of a frame; the reader is left at the body. The
 * header version is chosen from the api key and version, as a broker must.
 */
export function decodeRequestHeader(reader: Reader, headerVersion?: 0 | 1 | 2): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const version = headerVersion ?? requestHeaderVersion(apiKey, apiVersion);
  const clientId = version >= 1 ? reader.nullableString() : null;
  if (version >= 2) reader.taggedFields();
  return { apiKey, apiVersion, correlationId, clientId, headerVersion: version };
}

/** The client side of the same grammar: used by tests and, later, by a bench client. */
export function encodeRequestHeader(writer: Writer, header: Omit<RequestHeader, 'headerVersion'>, headerVersion?: 0 | 1 | 2): Writer {
  const version = headerVersion ?? requestHeaderVersion(header.apiKey, header.apiVersion);
  writer.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId);
  if (version >= 1) writer.nullableString(header.clientId);
  if (version >= 2) writer.taggedFields();
  return writer;
}

export function encodeResponseHeader(writer: Writer, correlationId: number, headerVersion: 0 | 1): Writer {
  writer.int32(correlationId);
  if (headerVersion >= 1) writer.taggedFields();
  return writer;
}

/** Writes the response header that the request's api key and version call for. */
export function encodeResponseHeaderFor(writer: Writer, request: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'>): Writer {
  return encodeResponseHeader(writer, request.correlationId, responseHeaderVersion(request.apiKey, request.apiVersion));
}

export interface ResponseHeader {
  correlationId: number;
}

export function decodeResponseHeader(reader: Reader, headerVersion: 0 | 1): ResponseHeader {
  const correlationId = reader.int32();
  if (headerVersion >= 1) reader.taggedFields();
  return { correlationId };
}
