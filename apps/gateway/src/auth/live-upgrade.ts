import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { WWW_AUTHENTICATE } from './auth-errors.js';
import { CONSOLE_HEADER } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { LiveAccess } from './live-access.js';
import { type RequestUser, requestUser, setRequestUser } from './request-user.js';

type VerifyDone = (verified: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void;

/**
 * Authentication of the /live WebSocket, at the HTTP upgrade: the session cookie, an
 * Authorization header, or `?access_token=<api key>` (a browser cannot give a WebSocket
 * headers). Refused upgrades get a plain HTTP 401, so no socket opens. The user is kept
 * on the socket for LiveAccess's per-channel checks.
 */
@Injectable()
export class LiveUpgradeAuth {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly authenticator: Authenticator,
    readonly access: LiveAccess,
  ) {}

  /** ws's `verifyClient` in its asynchronous form. */
  readonly verifyClient = (info: { req: IncomingMessage }, done: VerifyDone): void => {
    this.userOf(info.req).then(
      (user) => {
        if (user === undefined) return done(false, 401, 'Unauthorized', { 'www-authenticate': WWW_AUTHENTICATE });
        setRequestUser(info.req, user);
        done(true);
      },
      () => done(false, 500, 'Internal Server Error'),
    );
  };

  /** The user of a socket whose upgrade `verifyClient` accepted. */
  socketUser(socket: object, upgrade: IncomingMessage): RequestUser {
    const user = requestUser(upgrade)!;
    setRequestUser(socket, user);
    return user;
  }

  private async userOf(req: IncomingMessage): Promise<RequestUser | undefined> {
    const source = req.socket.remoteAddress ?? '';
    if (!this.config.security.authEnabled) {
      return { name: 'anonymous', role: 'admin', via: 'none', door: req.headers[CONSOLE_HEADER] === '1' ? 'console' : 'rest', source };
    }
    const accessToken = new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
    const result = await this.authenticator.authenticate({ headers: req.headers, source, accessToken });
    return result.kind === 'ok' ? result.user : undefined;
  }
}

/** The channel a client message subscribes to, if it is a subscribe; the hub validates the rest. */
export function subscribedChannel(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const message = JSON.parse(text) as { op?: unknown; channel?: unknown } | null;
    return message !== null && message.op === 'subscribe' && typeof message.channel === 'string' ? message.channel : undefined;
  } catch {
    return undefined;
  }
}
