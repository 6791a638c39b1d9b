import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { RestError } from '../errors/rest-error.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiV3 } from '../rest/v3/common/openapi.js';
import { AUTH_ERROR_CODES, unauthenticated } from './auth-errors.js';
import { type LoginResponse, loginLinkSchema, loginResponseSchema, loginSchema, type Me, meSchema } from './auth-schemas.js';
import { Authenticator } from './authenticator.js';
import { CSRF_COOKIE, SESSION_COOKIE, cookieValue, setCookie } from './cookies.js';
import { requestUser, type Role } from './request-user.js';
import { SESSION_LIFETIME_MS, SessionsService, tokenId } from './sessions.service.js';
import { UsersService } from './users.service.js';

const AUTH_ERRORS = { 401: 'Wrong user name or password, or a used or expired link (40101)', 429: 'Too many failed attempts from this address for this user (42901)' };

@ApiTags('Authentication')
@Controller('v3/auth')
export class AuthController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly authenticator: Authenticator,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiV3({
    summary: 'Sign in with a password',
    description: 'Starts a console session: sets the httpOnly `weir_session` cookie and the readable `weir_csrf` cookie. Requests made with the cookie other than GET/HEAD must send the token in `x-csrf-token`. Sessions last 12 hours.',
    status: 200,
    body: loginSchema,
    response: loginResponseSchema,
    errors: [400, 401, 429],
    errorNotes: AUTH_ERRORS,
  })
  async login(
    @Body(new ZodValidationPipe(loginSchema)) body: { username: string; password: string },
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const limiter = this.authenticator.loginLimiter;
    const retryAfterS = limiter.retryAfterS(req.ip, body.username, Date.now());
    if (retryAfterS > 0) {
      void reply.header('retry-after', String(retryAfterS));
      throw new RestError(AUTH_ERROR_CODES.RATE_LIMITED, 'Too many failed sign-in attempts; try again later.');
    }
    const user = await this.users.verifyPassword(body.username, body.password);
    if (user === undefined) {
      limiter.recordFailure(req.ip, body.username, Date.now());
      throw unauthenticated('Invalid user name or password.');
    }
    return this.startSession(user, req, reply);
  }

  @Post('login-link')
  @HttpCode(200)
  @ApiV3({
    summary: 'Sign in with a one-time link',
    description: 'The token of the link printed at first start (valid 24 hours, once). Answers as a password sign-in does.',
    status: 200,
    body: loginLinkSchema,
    response: loginResponseSchema,
    errors: [400, 401],
    errorNotes: AUTH_ERRORS,
  })
  async loginLink(
    @Body(new ZodValidationPipe(loginLinkSchema)) body: { token: string },
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const userId = await this.sessions.redeemLoginLink(body.token, new Date());
    const user = userId === undefined ? undefined : await this.users.byId(userId);
    if (user === undefined || user.disabled) throw unauthenticated('This sign-in link was already used, has expired or does not exist.');
    return this.startSession(user, req, reply);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiV3({ summary: 'End the console session', description: 'Deletes the session and clears its cookies.', status: 204, errors: [401, 403] })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (token !== undefined) await this.sessions.delete(tokenId(token));
    this.setSessionCookies(req, reply, '', '', 0);
  }

  @Get('me')
  @ApiV3({ summary: 'Who am I', description: 'The signed-in user, how they authenticated, and the CSRF token of a session.', status: 200, response: meSchema, errors: [401] })
  async me(@Req() req: FastifyRequest): Promise<Me> {
    const user = requestUser(req)!;
    let csrfToken: string | null = null;
    if (user.via === 'session') {
      const again = await this.authenticator.authenticate({ headers: req.headers, source: req.ip });
      csrfToken = again.kind === 'ok' ? (again.csrfToken ?? null) : null;
    }
    return { name: user.name, role: user.role, via: user.via, auth_enabled: this.config.security.authEnabled, csrf_token: csrfToken };
  }

  private async startSession(user: { id: number; name: string; role: string }, req: FastifyRequest, reply: FastifyReply): Promise<LoginResponse> {
    const session = await this.sessions.create(user.id, req.ip, new Date());
    this.setSessionCookies(req, reply, session.token, session.csrfToken, SESSION_LIFETIME_MS / 1000);
    return { user: { name: user.name, role: user.role as Role }, csrf_token: session.csrfToken };
  }

  private setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, csrfToken: string, maxAgeS: number): void {
    const secure = req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';
    void reply.header('set-cookie', [
      setCookie(SESSION_COOKIE, token, { httpOnly: true, secure, maxAgeS }),
      setCookie(CSRF_COOKIE, csrfToken, { httpOnly: false, secure, maxAgeS }),
    ]);
  }
}
