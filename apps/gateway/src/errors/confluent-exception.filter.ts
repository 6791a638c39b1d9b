import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { KafkaError, LocalClusterError, type LocalClusterRefusal } from '@weir/broker-core';
import { type ConfluentError, httpStatusOfErrorCode, REST_ERROR_CODES } from '@weir/contracts';
import type { FastifyReply } from 'fastify';
import { kafkaMessageText, restErrorCodeOfKafkaError } from './kafka-error-codes.js';
import { RestError } from './rest-error.js';

export type { ConfluentError };

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
    const { status, body, unexpected } = confluentErrorOf(exception);
    if (unexpected) this.logger.error('unhandled error', exception instanceof Error ? exception.stack : String(exception));
    if (reply.sent || reply.raw.headersSent) {
      // A streamed answer has begun; the stream reports its own failures.
      this.logger.warn(`error after the response was sent: ${body.message ?? ''}`);
      return;
    }
    void reply.status(status).send(body);
  }
}

/**
 * Maps any failure to its status and Confluent body; `unexpected` marks the ones that
 * are bugs or outages (logged with their stack by the caller), answered 500.
 */
export function confluentErrorOf(exception: unknown): { status: number; body: ConfluentError; unexpected: boolean } {
  if (exception instanceof RestError) {
    return { status: exception.status, body: { error_code: exception.errorCode, message: exception.message }, unexpected: false };
  }
  if (exception instanceof LocalClusterError) {
    const code = LOCAL_CLUSTER_CODES[exception.reason];
    return { status: httpStatusOfErrorCode(code), body: { error_code: code, message: exception.message }, unexpected: false };
  }
  if (exception instanceof KafkaError) {
    const code = restErrorCodeOfKafkaError(exception.errorName);
    const body = { error_code: code, message: kafkaMessageText(exception.errorName, exception.message) };
    return { status: httpStatusOfErrorCode(code), body, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: { error_code: status * 100, message: httpExceptionMessage(exception) }, unexpected: false };
  }
  const fastifyError = asFastifyClientError(exception);
  if (fastifyError !== undefined) {
    // Fastify's own refusals (body too large, malformed JSON, unsupported media type)
    // come before any handler; Confluent answers these with the bare status as code.
    const body = { error_code: fastifyError.statusCode, message: fastifyError.message };
    return { status: fastifyError.statusCode, body, unexpected: false };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error_code: REST_ERROR_CODES.INTERNAL, message: 'Internal server error' },
    unexpected: true,
  };
}

/** A broker hosted elsewhere is 409 40902; one already as asked, or starting or stopping, 409 40901. */
const LOCAL_CLUSTER_CODES: Record<LocalClusterRefusal, number> = {
  'not-hosted': REST_ERROR_CODES.BROKER_NOT_HOSTED,
  'already-running': REST_ERROR_CODES.STATE_CONFLICT,
  'not-running': REST_ERROR_CODES.STATE_CONFLICT,
  busy: REST_ERROR_CODES.STATE_CONFLICT,
};

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    return String((response as { message: unknown }).message);
  }
  return exception.message;
}

function asFastifyClientError(exception: unknown): { statusCode: number; message: string } | undefined {
  if (!(exception instanceof Error)) return undefined;
  const statusCode = (exception as { statusCode?: unknown }).statusCode;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, message: exception.message };
}
