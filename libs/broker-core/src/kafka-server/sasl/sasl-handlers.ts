import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeSaslAuthenticateRequest, encodeSaslAuthenticateResponse, makeSaslAuthenticateResponse } from '../../protocol/saslAuthenticate/index.js';
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse, makeSaslHandshakeResponse } from '../../protocol/saslHandshake/index.js';
import { usesSasl, type ListenerSecurity } from '../../security/listener-security.js';
import { SASL_MECHANISMS, type SaslMechanism } from '../../security/sasl-credentials.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from '../handlers/define-handler.js';
import { closeAfterResponse, evaluateToken, exchangeStarted, exchangeUsesAuthenticate, startExchange } from './sasl-exchange.js';
import { SaslAuthenticationError } from './sasl-mechanism.js';

/** The APIs a connection of a SASL listener may use before it has authenticated. */
export const SERVED_BEFORE_AUTHENTICATION: ReadonlySet<number> = new Set([API_KEYS.ApiVersions, API_KEYS.SaslHandshake, API_KEYS.SaslAuthenticate]);

function enabledMechanisms(security: ListenerSecurity): readonly SaslMechanism[] {
  return usesSasl(security.protocol) ? security.saslMechanisms ?? SASL_MECHANISMS : [];
}

/** A SASL request the connection's state does not allow; on a SASL listener it also ends the connection. */
function illegalState(ctx: ServerContext): number {
  if (usesSasl(ctx.security.protocol)) closeAfterResponse(ctx.session);
  return KAFKA_ERRORS.ILLEGAL_SASL_STATE.code;
}

/**
 * SaslHandshake v0-1: chooses the mechanism. v1 clients then send their tokens in
 * SaslAuthenticate; v0 clients (Kafka before 1.0) send them as bare size-prefixed frames,
 * which the connection hands to the exchange. An unsupported mechanism gets the enabled
 * list and the connection closes; so does a handshake out of order. Weir does not
 * re-authenticate (KIP-368): a handshake after authentication is out of order.
 */
export const saslHandshakeHandler = defineHandler({
  apiKey: API_KEYS.SaslHandshake,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  decode: decodeSaslHandshakeRequest,
  encode: encodeSaslHandshakeResponse,
  handle(ctx, request, header) {
    const mechanisms = [...enabledMechanisms(ctx.security)];
    const credentials = ctx.security.credentials;
    if (credentials === undefined || ctx.session.authenticated || exchangeStarted(ctx.session)) {
      return makeSaslHandshakeResponse({ errorCode: illegalState(ctx), mechanisms });
    }
    const mechanism = mechanisms.find((m) => m === request.mechanism);
    if (mechanism === undefined) {
      closeAfterResponse(ctx.session);
      return makeSaslHandshakeResponse({ errorCode: KAFKA_ERRORS.UNSUPPORTED_SASL_MECHANISM.code, mechanisms });
    }
    startExchange(ctx.session, mechanism, credentials, header.apiVersion === 0);
    return makeSaslHandshakeResponse({ mechanisms });
  },
});

/**
 * SaslAuthenticate v0-2: one token of the exchange in, the next challenge out. A failed
 * exchange answers SASL_AUTHENTICATION_FAILED with the mechanism's message and the
 * connection closes after the response. Sessions do not expire (session_lifetime_ms 0).
 */
export const saslAuthenticateHandler = defineHandler({
  apiKey: API_KEYS.SaslAuthenticate,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeSaslAuthenticateRequest,
  encode: encodeSaslAuthenticateResponse,
  async handle(ctx, request) {
    if (ctx.session.authenticated || exchangeUsesAuthenticate(ctx.session) !== true) {
      return makeSaslAuthenticateResponse({ errorCode: illegalState(ctx), errorMessage: 'Unexpected SaslAuthenticate request: no SASL handshake in progress' });
    }
    try {
      const authBytes = await evaluateToken(ctx.session, request.authBytes);
      return makeSaslAuthenticateResponse({ errorMessage: null, authBytes });
    } catch (err) {
      const known = err instanceof SaslAuthenticationError;
      if (!known) ctx.logger.error(`SASL authentication from ${ctx.clientHost ?? '?'} failed on an internal error`, err);
      else ctx.logger.info(`SASL authentication from ${ctx.clientHost ?? '?'} failed: ${err.message}`);
      return makeSaslAuthenticateResponse({
        errorCode: KAFKA_ERRORS.SASL_AUTHENTICATION_FAILED.code,
        errorMessage: known ? err.message : 'Authentication failed: the credentials could not be checked',
      });
    }
  },
});
