import type { ConnectionSession } from '../../security/principal.js';
import { userPrincipal } from '../../security/principal.js';
import type { SaslCredentialStore, SaslMechanism } from '../../security/sasl-credentials.js';
import { PlainServer } from './plain-server.js';
import { SaslAuthenticationError, type SaslMechanismServer } from './sasl-mechanism.js';
import { ScramServer } from './scram-server.js';

/**
 * One connection's SASL exchange, from SaslHandshake to success or failure. Kept beside
 * the connection's session (not in it: the session is what every handler sees, this is
 * only the SASL handlers' and the connection's business), and gone with it.
 */
interface SaslExchange {
  readonly mechanism: SaslMechanism;
  readonly server: SaslMechanismServer;
  /** After SaslHandshake v0 the tokens come as bare size-prefixed frames, not SaslAuthenticate requests. */
  readonly raw: boolean;
}

interface SaslState {
  exchange: SaslExchange | undefined;
  /** The handshake or the exchange failed: the connection closes once the response is sent, as Kafka's does. */
  closing: boolean;
}

const states = new WeakMap<ConnectionSession, SaslState>();

function stateOf(session: ConnectionSession): SaslState {
  let state = states.get(session);
  if (state === undefined) {
    state = { exchange: undefined, closing: false };
    states.set(session, state);
  }
  return state;
}

export function mechanismServer(mechanism: SaslMechanism, credentials: SaslCredentialStore): SaslMechanismServer {
  return mechanism === 'PLAIN' ? new PlainServer(credentials) : new ScramServer(mechanism, credentials);
}

/** True once SaslHandshake chose a mechanism on this connection. */
export function exchangeStarted(session: ConnectionSession): boolean {
  return states.get(session)?.exchange !== undefined;
}

export function startExchange(session: ConnectionSession, mechanism: SaslMechanism, credentials: SaslCredentialStore, raw: boolean): void {
  stateOf(session).exchange = { mechanism, server: mechanismServer(mechanism, credentials), raw };
}

/** Whether this connection's tokens come through SaslAuthenticate (true) or bare (false); undefined before the handshake. */
export function exchangeUsesAuthenticate(session: ConnectionSession): boolean | undefined {
  const exchange = states.get(session)?.exchange;
  return exchange === undefined ? undefined : !exchange.raw;
}

/** The connection must close after the response being sent now. */
export function closeAfterResponse(session: ConnectionSession): void {
  stateOf(session).closing = true;
}

export function saslClosing(session: ConnectionSession): boolean {
  return states.get(session)?.closing === true;
}

/**
 * Feeds one client token to the mechanism. On success the session becomes `User:<name>`
 * and authenticated; on failure the connection is marked to close and the error rethrown.
 */
export async function evaluateToken(session: ConnectionSession, token: Buffer): Promise<Buffer> {
  const state = stateOf(session);
  const exchange = state.exchange;
  if (exchange === undefined) throw new SaslAuthenticationError('no SASL mechanism was chosen');
  try {
    const challenge = await exchange.server.evaluate(token);
    const user = exchange.server.authorizedUser;
    if (user !== undefined) {
      session.principal = userPrincipal(user);
      session.saslMechanism = exchange.mechanism;
      session.authenticated = true;
      state.exchange = undefined;
    }
    return challenge;
  } catch (err) {
    state.closing = true;
    throw err;
  }
}

/** The bare token frame of a handshake-v0 exchange, or undefined when the frame is a request. */
export function rawSaslToken(session: ConnectionSession, frame: Buffer): Promise<Buffer> | undefined {
  const exchange = states.get(session)?.exchange;
  return exchange?.raw === true ? evaluateToken(session, frame) : undefined;
}
