import { REST_ERROR_CODES } from '@weir/contracts';
import { RestError } from '../errors/rest-error.js';

/** Confluent-style codes of the refusals that come before any handler. */
export const AUTH_ERROR_CODES = {
  UNAUTHENTICATED: REST_ERROR_CODES.KAFKA_AUTHENTICATION,
  FORBIDDEN: REST_ERROR_CODES.KAFKA_AUTHORIZATION,
  BODY_TOO_LARGE: 41301,
  RATE_LIMITED: 42901,
  CONFLICT: 409,
} as const;

/** What a 401 says a client may try, for `WWW-Authenticate`. */
export const WWW_AUTHENTICATE = 'Basic realm="weir", Bearer';

export function unauthenticated(message: string): RestError {
  return new RestError(AUTH_ERROR_CODES.UNAUTHENTICATED, message);
}

export function forbidden(message: string): RestError {
  return new RestError(AUTH_ERROR_CODES.FORBIDDEN, message);
}
