/**
 * Who a request acts as, in Kafka's form `User:<name>`. A connection that did not
 * authenticate (a PLAINTEXT or SSL listener without client certificates) is
 * `User:ANONYMOUS`, as in Kafka.
 */
export interface KafkaPrincipal {
  readonly type: 'User';
  readonly name: string;
}

export const ANONYMOUS: KafkaPrincipal = Object.freeze({ type: 'User', name: 'ANONYMOUS' });

export function userPrincipal(name: string): KafkaPrincipal {
  return { type: 'User', name };
}

export function principalString(p: KafkaPrincipal): string {
  return `${p.type}:${p.name}`;
}

/** `User:alice` -> principal; undefined for anything else (Kafka knows only the User type here). */
export function parsePrincipal(text: string): KafkaPrincipal | undefined {
  const m = /^User:(.+)$/.exec(text);
  return m === null ? undefined : userPrincipal(m[1]!);
}

/**
 * Per-connection security state, mutable: SASL authentication replaces the principal.
 * One object per connection, shared by every request on it.
 */
export interface ConnectionSession {
  principal: KafkaPrincipal;
  /** The SASL mechanism the connection authenticated with, if any. */
  saslMechanism: string | undefined;
  /** Whether requests other than ApiVersions / SaslHandshake / SaslAuthenticate may be served. */
  authenticated: boolean;
}
