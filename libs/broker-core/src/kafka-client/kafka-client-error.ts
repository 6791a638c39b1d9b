/**
 * Why a broker-to-broker request failed without a response:
 * - 'disconnected': the connection could not be made, or closed (by the peer, by its
 *   owner, or because another request on it failed) while the request was pending;
 * - 'timeout': no response within the request timeout, or no connection within the
 *   connect timeout;
 * - 'protocol': the peer broke the framing or grammar (a frame above maxResponseBytes, a
 *   response to no pending request, one that does not decode);
 * - 'authentication': TLS (the peer's certificate did not verify) or SASL (the peer
 *   refused the credentials) failed while the connection was being set up.
 */
export type KafkaClientErrorReason = 'disconnected' | 'timeout' | 'protocol' | 'authentication';

/**
 * A request that got no usable response. Always retriable: the connection it was on is
 * dead (a connection never outlives one of these), and the owner retries on a new one,
 * after a backoff (an authentication failure too: the password or certificate may be
 * fixed meanwhile; it never falls back to an unsecured connection). Errors inside a response (per-partition error codes) are not this:
 * they arrive in the decoded body.
 */
export class KafkaClientError extends Error {
  readonly retriable = true;

  constructor(
    readonly reason: KafkaClientErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${message}`, options);
    this.name = 'KafkaClientError';
  }
}

export function isKafkaClientError(err: unknown, reason?: KafkaClientErrorReason): err is KafkaClientError {
  return err instanceof KafkaClientError && (reason === undefined || err.reason === reason);
}
