import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { RestError } from '../errors/rest-error.js';
import { AUTH_ERROR_CODES } from './auth-errors.js';
import { CONSOLE_HEADER } from './auth.guard.js';
import { WindowCounter } from './window-counter.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * WEIR_RATE_LIMIT_PER_MINUTE requests per client address over every route together,
 * answered 429 with Confluent's body and Retry-After. Runs before authentication, so
 * requests with bad credentials count too. The console's server side asks on behalf of
 * its browsers: from a loopback address with the console header, the browser's address
 * in X-Forwarded-For is the one counted. Health probes are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly requests = new WindowCounter(60_000);

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (PROBES.has(req.routeOptions.url ?? '')) return true;
    const address = clientAddress(req);
    const nowMs = Date.now();
    const limit = this.config.security.rateLimitPerMinute;
    if (this.requests.add(address, nowMs) <= limit) return true;
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(this.requests.secondsLeft(address, nowMs)));
    throw new RestError(AUTH_ERROR_CODES.RATE_LIMITED, `Too many requests: at most ${limit} a minute from one address.`);
  }
}

/** The address a request is counted against. */
export function clientAddress(req: FastifyRequest): string {
  if (req.headers[CONSOLE_HEADER] === '1' && LOOPBACK.has(req.ip)) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first !== undefined && first.length > 0) return first;
  }
  return req.ip;
}
