import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/** Route config flag: the handler reads the request body itself, as a stream. */
export const STREAM_BODY = 'weirStreamBody';
/** Route config: a body limit in bytes for this route instead of the server's. */
export const BODY_LIMIT = 'weirBodyLimit';

type RouteFlags = { [STREAM_BODY]?: boolean; [BODY_LIMIT]?: number };

/**
 * Replaces the application/json parser with one that behaves like Fastify's default
 * (buffer up to the body limit, then its own JSON parser with prototype-poisoning
 * checks) except on routes flagged STREAM_BODY, which get the raw body stream: the
 * streaming produce reads records as they arrive rather than after the whole body.
 *
 * Must run before the server is ready (from an onModuleInit hook), after Nest has
 * registered its own parser.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const defaultLimit = fastify.initialConfig.bodyLimit ?? 1024 * 1024;
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  if (fastify.hasContentTypeParser('application/json')) fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', (request: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => {
    const flags = (request.routeOptions.config ?? {}) as RouteFlags;
    if (flags[STREAM_BODY] === true) {
      done(null, payload);
      return;
    }
    const limit = flags[BODY_LIMIT] ?? defaultLimit;
    readWithLimit(payload, limit, request.headers['content-length']).then(
      (body) => parseJson(request, body.toString('utf8'), done),
      (err: Error) => done(err),
    );
  });
}

function readWithLimit(payload: Readable, limit: number, contentLength: string | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (contentLength !== undefined && Number(contentLength) > limit) {
      payload.resume(); // drain, so the 413 can be answered on a healthy connection
      reject(bodyTooLarge(limit));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.off('data', onData);
        payload.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      parts.push(chunk);
    };
    payload.on('data', onData);
    payload.once('end', () => resolve(Buffer.concat(parts, size)));
    payload.once('error', reject);
  });
}

function bodyTooLarge(limit: number): Error {
  return Object.assign(new Error(`Request body is larger than ${limit} bytes`), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
}
