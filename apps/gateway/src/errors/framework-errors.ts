import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Longest path parameter (after percent-decoding) the router accepts. Fastify's default,
 * 100, is shorter than a legal topic name (249) or a group id; past this the request is
 * refused with a 414 in Confluent's shape.
 */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Errors Fastify raises before a route is chosen (a malformed URL, a path parameter
 * longer than MAX_PARAM_LENGTH) answered with Confluent's `{error_code, message}` body,
 * like everything after routing, rather than Fastify's own error shape.
 */
export function frameworkErrors(error: Error & { statusCode?: number }, _req: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  void reply.code(status).type('application/json; charset=utf-8').send({ error_code: status * 100, message: frameworkMessage(error) });
}

function frameworkMessage(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`;
    case 'FST_ERR_BAD_URL':
      return 'The request URL is malformed';
    default:
      return error.message;
  }
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (a request line and
 * headers over Node's header size limit, bytes that are not HTTP, a request not received
 * in time): answered in Confluent's shape, then the connection is closed, as Fastify's own
 * handler does with its own body.
 */
export function clientErrors(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request line and headers are longer than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify({ error_code: status * 100, message });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
