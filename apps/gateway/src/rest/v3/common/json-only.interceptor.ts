import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { REST_ERROR_CODES } from '@weir/contracts';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { RestError } from '../../../errors/rest-error.js';

/**
 * v3 bodies are JSON only, as Confluent's: a body of another type (which Fastify would
 * otherwise parse as text and hand to the validation pipe) is 415. Runs before pipes.
 */
@Injectable()
export class JsonOnlyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const headers = request.headers;
    const hasBody = (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
    const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (hasBody && type !== 'application/json') {
      throw new RestError(REST_ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'HTTP 415 Unsupported Media Type: v3 takes application/json bodies');
    }
    return next.handle();
  }
}
