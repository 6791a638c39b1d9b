import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ConfluentExceptionFilter } from '../../errors/confluent-exception.filter.js';
import { RestError } from './rest-error.js';

/**
 * Sends a `RestError` with its own error_code, and leaves everything else to the global
 * `ConfluentExceptionFilter`. Controllers that need Confluent's detail codes use it
 * with `@UseFilters(RestErrorFilter)`.
 */
@Catch()
export class RestErrorFilter implements ExceptionFilter {
  private readonly fallback = new ConfluentExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof RestError) {
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply.status(exception.getStatus()).send({ error_code: exception.confluentCode, message: exception.message });
      return;
    }
    this.fallback.catch(exception, host);
  }
}
