import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { REST_ERROR_CODES } from '@weir/contracts';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Observable } from 'rxjs';
import { RestError } from '../../../errors/rest-error.js';

/**
 * v3 bodies are JSON only, as Confluent's: a body of another type (which Fastify would
 * otherwise parse as text and hand to the validation pipe) is 415.
 */
export function assertJsonBody(headers: IncomingHttpHeaders): void {
  const length = headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
  if (!hasBody) return;
  const type = headers['content-type'];
  // The common exact spelling needs no split and lower-casing.
  if (type === 'application/json') return;
  if ((type ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    throw new RestError(REST_ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'HTTP 415 Unsupported Media Type: v3 takes application/json bodies');
  }
}

/**
 * assertJsonBody for a whole controller; runs before pipes, so a wrong type is 415 before
 * any parameter is checked. The single-record produce route calls assertJsonBody itself
 * instead: an interceptor costs every request an rxjs pipeline.
 */
@Injectable()
export class JsonOnlyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    assertJsonBody(context.switchToHttp().getRequest<FastifyRequest>().headers);
    return next.handle();
  }
}
