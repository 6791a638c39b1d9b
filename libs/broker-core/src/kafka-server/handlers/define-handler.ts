import type { RequestHeader } from '../../protocol/header.js';
import type { Reader } from '../../protocol/primitives/reader.js';
import type { Writer } from '../../protocol/primitives/writer.js';
import type { ApiHandler, ServerContext } from '../api-handler.js';

export interface HandlerSpec<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly advertisedMinVersion?: number;
  readonly decode: (reader: Reader, version: number) => Req;
  readonly encode: (writer: Writer, response: Res, version: number) => Writer;
  /** The response, or null for none (Produce acks=0). Calls into the broker before any await. */
  readonly handle: (ctx: ServerContext, request: Req, header: RequestHeader) => Res | null | Promise<Res | null>;
}

/** An ApiHandler from a request decoder, a response encoder and what lies between. */
export function defineHandler<Req, Res>(spec: HandlerSpec<Req, Res>): ApiHandler {
  const { apiKey, name, minVersion, maxVersion, advertisedMinVersion, decode, encode, handle } = spec;
  const write = (out: Writer, response: Res | null, version: number): boolean => {
    if (response === null) return false;
    encode(out, response, version);
    return true;
  };
  return {
    apiKey,
    name,
    minVersion,
    maxVersion,
    ...(advertisedMinVersion === undefined ? {} : { advertisedMinVersion }),
    handle(ctx, header, body, out) {
      const request = decode(body, header.apiVersion);
      const response = handle(ctx, request, header);
      return response instanceof Promise ? response.then((r) => write(out, r, header.apiVersion)) : write(out, response, header.apiVersion);
    },
  };
}
