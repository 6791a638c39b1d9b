import { cache } from 'react';
import { isRole, type Role } from '../../_features/auth/permissions';
import { GatewayError, gatewayRequest } from './http';

/** The signed-in user as the console uses it; `authEnabled` false when the gateway runs with WEIR_AUTH=off. */
export interface SessionUser {
  readonly name: string;
  readonly role: Role;
  readonly via: string;
  readonly authEnabled: boolean;
}

interface MeBody {
  name: string;
  role: string;
  via: string;
  auth_enabled: boolean;
  csrf_token: string | null;
}

/** What a gateway without authentication is: everyone is an anonymous admin, as before security existed. */
const AUTH_OFF: SessionUser = { name: 'anonymous', role: 'admin', via: 'none', authEnabled: false };

/**
 * Who this request's browser is signed in as (`GET /v3/auth/me`), once per render; null
 * when nobody is (the gateway answers 401). A gateway without the auth routes (404) is
 * one without authentication.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  try {
    const me = await gatewayRequest<MeBody>('/v3/auth/me', { onUnauthorized: 'throw' });
    if (!me.auth_enabled) return AUTH_OFF;
    return { name: me.name, role: isRole(me.role) ? me.role : 'viewer', via: me.via, authEnabled: true };
  } catch (err) {
    if (err instanceof GatewayError && err.status === 401) return null;
    if (err instanceof GatewayError && err.notFound) return AUTH_OFF;
    throw err;
  }
});

/** Ends the session at the gateway (`POST /v3/auth/logout`); a session already over is fine. */
export async function endSession(): Promise<void> {
  try {
    await gatewayRequest<void>('/v3/auth/logout', { method: 'POST', onUnauthorized: 'throw' });
  } catch (err) {
    if (!(err instanceof GatewayError && err.status === 401)) throw err;
  }
}
