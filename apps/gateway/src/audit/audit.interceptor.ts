import { type CallHandler, type ExecutionContext, Inject, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import type { AuditEvent, BrokerApi } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { requestUser } from '../auth/request-user.js';
import { BROKER } from '../broker/broker.module.js';
import { confluentErrorOf } from '../errors/confluent-exception.filter.js';
import { PRISMA } from '../registry/registry.module.js';
import { AUDIT_ACTIONS, type AuditAction, auditRouteKey, type AuditRouteContext } from './audit-actions.js';
import { AUDIT_WRITER, type AuditWriter } from './audit-writer.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The REST and console door of the audit log: every request whose route is in
 * AUDIT_ACTIONS leaves one entry once its handler finished, success or failure. It runs
 * as an interceptor, so after the guards: a request refused for its credentials, role,
 * rate or size never reached a handler, changed nothing, and leaves no entry (logins are
 * handlers and are audited). `before` state is read before the handler runs; a read that
 * fails (the resource does not exist) leaves it empty rather than failing the request.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: AuditWriter,
    @Inject(BROKER) private readonly broker: BrokerApi,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (READS.has(req.method)) return next.handle();
    const action = AUDIT_ACTIONS.get(auditRouteKey(req.method, req.routeOptions.url ?? ''));
    if (action === undefined) return next.handle();
    const c: AuditRouteContext = {
      broker: this.broker,
      prisma: this.prisma,
      params: (req.params ?? {}) as Record<string, string | undefined>,
      body: typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : undefined,
      query: (req.query ?? {}) as Record<string, unknown>,
    };
    if (action.skip?.(c) === true) return next.handle();
    return from(this.read(() => action.before?.(c))).pipe(
      mergeMap((before) =>
        next.handle().pipe(
          // The entry is queued before the response leaves, so a client that reads the log next finds it.
          mergeMap(async (response: unknown) => {
            await this.succeeded(req, action, c, before, response);
            return response;
          }),
          catchError((err: unknown) => {
            this.failed(req, action, c, before, err);
            return throwError(() => err);
          }),
        ),
      ),
    );
  }

  private async succeeded(req: FastifyRequest, action: AuditAction, c: AuditRouteContext, before: unknown, response: unknown): Promise<void> {
    const after = await this.read(() => action.after?.(c, response));
    const state = before ?? (await this.read(() => action.removed?.(c, response)));
    this.writer.record({ ...this.base(req, action, c, state, response), ...(after === undefined ? {} : { after }), result: 'success' });
  }

  private failed(req: FastifyRequest, action: AuditAction, c: AuditRouteContext, before: unknown, err: unknown): void {
    const error = confluentErrorOf(err).body.message ?? 'failed';
    this.writer.record({ ...this.base(req, action, c, before, undefined), result: 'failure', error });
  }

  private base(req: FastifyRequest, action: AuditAction, c: AuditRouteContext, before: unknown, response: unknown): Omit<AuditEvent, 'result'> {
    const user = requestUser(req);
    const console = req.headers['x-weir-console'] === '1';
    return {
      actor: action.actor?.(c, response) ?? user?.name ?? 'anonymous',
      door: user?.door ?? (console ? 'console' : 'rest'),
      source: user?.source ?? req.ip,
      action: action.action,
      resource: safe(() => action.resource(c)) ?? 'unknown',
      ...(before === undefined ? {} : { before }),
    };
  }

  /** A before/after read; its failure is logged and leaves the field empty. */
  private async read(run: () => unknown): Promise<unknown> {
    try {
      return await run();
    } catch (err) {
      this.logger.debug(`audit state read failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}

function safe<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}
