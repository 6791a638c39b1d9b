import { createRequire } from 'node:module';
import { FrameDecoder } from '../frame-decoder.js';
import { decodeRequestHeader, type RequestHeader } from '../header.js';
import { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';

/**
 * kafkajs 2.2.4 (a devDependency) as an independent implementation to check the generated
 * codecs against: its request encoders and response decoders, loaded the way its own
 * request index files build them (`protocol({ version })(args)`).
 */
const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<{ buffer: Buffer }>;
}

export interface KafkajsResponse {
  decode(payload: Buffer): Promise<Record<string, unknown>>;
  parse(data: Record<string, unknown>): Promise<unknown>;
}

export interface KafkajsProtocol {
  request: KafkajsRequest;
  response: KafkajsResponse;
}

/** kafkajs's codecs for `api` (its folder name, e.g. 'produce') at `version`, built from `args`. */
export function kafkajsProtocol(api: string, version: number, args: object): KafkajsProtocol {
  const requests = require(`kafkajs/src/protocol/requests/${api}`) as { protocol(v: { version: number }): (args: object) => KafkajsProtocol };
  return requests.protocol({ version })(args);
}

const encodeFrame = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;

export const KAFKAJS_CLIENT_ID = 'kafkajs-compat';

/**
 * The request as kafkajs puts it on the wire, read back by our frame decoder and header
 * codec; the reader is left at the body.
 */
export async function kafkajsRequestBody(request: KafkajsRequest, correlationId = 7): Promise<{ header: RequestHeader; body: Reader }> {
  const frame = (await encodeFrame({ correlationId, clientId: KAFKAJS_CLIENT_ID, request })).buffer;
  const frames = new FrameDecoder().push(frame);
  if (frames.length !== 1) throw new Error(`expected one frame, got ${frames.length}`);
  const body = new Reader(frames[0]!);
  return { header: decodeRequestHeader(body), body };
}

/** Our response body decoded by kafkajs, which must also accept it (its `parse` resolves). */
export async function decodeWithKafkajs(response: KafkajsResponse, body: Writer): Promise<Record<string, unknown>> {
  const decoded = await response.decode(body.toBuffer());
  await expect(response.parse(decoded)).resolves.toBeDefined();
  return decoded;
}

/** The throttle time kafkajs read: it moves it to `clientSideThrottleTime` from the version where Kafka stopped throttling broker-side (KIP-219). */
export function throttleOf(decoded: Record<string, unknown>, clientSideFrom: number, version: number): number {
  return (version >= clientSideFrom ? decoded.clientSideThrottleTime : decoded.throttleTime) as number;
}
