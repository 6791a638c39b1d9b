import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { KafkaError } from '@weir/broker-core';
import type { FastifyReply } from 'fastify';

/** Confluent REST Proxy's error body: `error_code` is the HTTP status times 100 plus a detail. */
export type ConfluentError = { error_code: number; message: string };

const STATUS_BY_KAFKA_ERROR: Partial<Record<string, number>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 40403,
  TOPIC_ALREADY_EXISTS: 40002,
  INVALID_CONFIG: 40002,
  INVALID_PARTITIONS: 40002,
  INVALID_REPLICATION_FACTOR: 40002,
  INVALID_TOPIC_EXCEPTION: 40002,
  INVALID_REQUEST: 40002,
  MESSAGE_TOO_LARGE: 41301,
  CORRUPT_MESSAGE: 40002,
  INVALID_RECORD: 40002,
  OFFSET_OUT_OF_RANGE: 40402,
};

/**
 * The one place where failures become HTTP responses. Domain errors map to Confluent's
 * `{error_code, message}`; anything unexpected is logged with its stack and answered
 * with a 500 body that carries no stack trace.
 */
@Catch()
export class ConfluentExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    void reply.status(Math.floor(body.error_code / 100)).send(body);
  }

  private toBody(exception: unknown): ConfluentError {
    if (exception instanceof KafkaError) {
      const code = STATUS_BY_KAFKA_ERROR[exception.errorName] ?? 50002;
      return { error_code: code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof response === 'object' && response !== null && 'message' in response
            ? String((response as { message: unknown }).message)
            : exception.message;
      return { error_code: status * 100, message };
    }
    this.logger.error('unhandled error', exception instanceof Error ? exception.stack : String(exception));
    return { error_code: HttpStatus.INTERNAL_SERVER_ERROR * 100, message: 'Internal server error' };
  }
}
