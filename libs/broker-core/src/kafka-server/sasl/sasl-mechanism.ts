/**
 * The server side of one SASL mechanism for one connection: fed the client's tokens in
 * order, it answers each with the next challenge until `authorizedUser` is set. A token
 * that fails authentication rejects with SaslAuthenticationError, whose message goes to
 * the client (so it never says whether the user exists).
 */
export interface SaslMechanismServer {
  evaluate(token: Buffer): Promise<Buffer>;
  /** The authenticated user's name, once the exchange succeeded. */
  readonly authorizedUser: string | undefined;
}

/** Kafka's SaslAuthenticationException: the exchange failed, the client is told why, the connection closes. */
export class SaslAuthenticationError extends Error {
  override readonly name = 'SaslAuthenticationError';
}
