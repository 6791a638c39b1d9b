import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { RestError } from '../errors/rest-error.js';
import { BODY_LIMIT, STREAM_BODY } from '../rest/v3/records/json-body-parser.js';
import { AUTH_ERROR_CODES } from './auth-errors.js';

/**
 * Request bodies over the limit (WEIR_REST_MAX_BODY_BYTES, or a route's own BODY_LIMIT)
 * get 413 {error_code: 41301} before any of them is buffered: a Content-Length that is too
 * large is refused before the body is read, and a chunked body is cut off where it passes
 * the limit. Either way the connection is closed after the 413, so the client stops
 * sending rather than the server reading a gigabyte to keep the connection. The
 * streaming produce route (STREAM_BODY) bounds each record instead and is left alone.
 */
export function installBodyLimit(fastify: FastifyInstance, defaultLimit: number): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const limit = limitOf(request, defaultLimit);
    if (limit === undefined) return done(null, payload);
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      // Node's parser holds a body to its Content-Length, so a declared length within the limit needs no counting.
      return Number(declared) > limit ? done(tooLarge(limit)) : done(null, payload);
    }
    done(null, payload.pipe(new LimitedStream(limit)));
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 413) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 413) lingeringClose(request.raw.socket);
    done();
  });
}

/** How long a refused upload's connection stays half-open, unread, before it is dropped. */
const LINGER_MS = 2_000;

/**
 * Node ends a `Connection: close` response with FIN and closes the socket once it is
 * flushed; a client still uploading then gets a reset, which on many stacks discards the
 * 413 it has not read yet. So the socket stays open, not read from (its buffers fill and
 * the client's writes block), for LINGER_MS before it is destroyed: nginx's lingering close,
 * without the reading.
 */
function lingeringClose(socket: Socket): void {
  if (socket.destroyed) return;
  socket.removeListener('finish', socket.destroy);
  socket.pause();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

function limitOf(request: FastifyRequest, defaultLimit: number): number | undefined {
  const config = (request.routeOptions.config ?? {}) as { [STREAM_BODY]?: boolean; [BODY_LIMIT]?: number };
  if (config[STREAM_BODY] === true) return undefined;
  return config[BODY_LIMIT] ?? defaultLimit;
}

function tooLarge(limit: number): RestError {
  return new RestError(AUTH_ERROR_CODES.BODY_TOO_LARGE, `Request body is larger than ${limit} bytes.`);
}

/** Passes bytes through until `limit`, then fails with the 413. */
class LimitedStream extends Transform {
  private bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(tooLarge(this.limit));
    callback(null, chunk);
  }
}
