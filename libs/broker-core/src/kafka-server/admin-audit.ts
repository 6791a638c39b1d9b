import type { BrokerApi } from '../broker/broker-api.js';
import { kafkaErrorName } from '../errors.js';
import type { RequestHeader } from '../protocol/header.js';
import { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';
import type { AuditEvent, AuditSink } from '../security/audit.js';
import type { ApiHandler, ServerContext } from './api-handler.js';
import { ADMIN_AUDIT_SPECS, type AuditOutcome, type AuditSpec } from './admin-audit-specs.js';

/**
 * The Kafka door's half of the audit log: the admin APIs that change the cluster
 * (ADMIN_AUDIT_SPECS, by API key) are wrapped so that, when the listener has an audit
 * sink, each request yields one AuditEvent per resource it names, with the state before
 * (read synchronously from the broker before the handler runs, so pipelining keeps its
 * order), the state after, and the resource's own error code from the response.
 *
 * The wrapper decodes the request a second time (from a copy of the reader over the same
 * bytes) and decodes the response it just wrote: admin requests are rare, and this keeps
 * the handlers unaware of auditing. validateOnly requests change nothing and are not
 * recorded. Without a sink (ctx.audit undefined) the wrapped handler is called straight
 * through; APIs without a spec, produce and fetch among them, are not wrapped at all.
 */
export function withAdminAudit(handler: ApiHandler): ApiHandler {
  const spec = ADMIN_AUDIT_SPECS.get(handler.apiKey);
  if (spec === undefined) return handler;
  return {
    ...handler,
    handle(ctx, header, body, out) {
      const sink = ctx.audit;
      if (sink === undefined) return handler.handle(ctx, header, body, out);
      return handleAudited(spec, handler, sink, ctx, header, body, out);
    },
  };
}

function handleAudited(
  spec: AuditSpec, handler: ApiHandler, sink: AuditSink, ctx: ServerContext, header: RequestHeader, body: Reader, out: Writer,
): boolean | Promise<boolean> {
  const bytes = body.raw(body.remaining);
  const version = header.apiVersion;
  let request: unknown;
  try {
    request = spec.decodeRequest(new Reader(bytes), version);
  } catch {
    // Malformed: the handler answers (or refuses) it; nothing was changed.
    return handler.handle(ctx, header, new Reader(bytes), out);
  }
  if (spec.validateOnly?.(request) === true) return handler.handle(ctx, header, new Reader(bytes), out);
  const before = readBefore(spec, ctx.broker, request);
  const responseStart = out.length;
  const report = (sent: boolean): boolean => {
    if (sent) {
      try {
        const response = spec.decodeResponse(new Reader(out.toBuffer().subarray(responseStart)), version);
        for (const outcome of spec.outcomes(request, response, before, ctx.broker)) sink.record(eventOf(ctx, outcome));
      } catch (err) {
        ctx.logger.warn(`audit of ${handler.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return sent;
  };
  const result = handler.handle(ctx, header, new Reader(bytes), out);
  return result instanceof Promise ? result.then(report) : report(result);
}

function readBefore(spec: AuditSpec, broker: BrokerApi, request: unknown): unknown {
  try {
    return spec.before?.(broker, request);
  } catch {
    // A resource that does not exist has no state before; the handler reports the error.
    return undefined;
  }
}

function eventOf(ctx: ServerContext, outcome: AuditOutcome): AuditEvent {
  const failed = outcome.errorCode !== 0;
  return {
    actor: ctx.session.principal.name,
    door: 'kafka',
    source: (ctx.clientHost ?? '').replace(/^\//, ''),
    action: outcome.action,
    resource: outcome.resource,
    ...(outcome.before === undefined ? {} : { before: outcome.before }),
    ...(outcome.after === undefined || failed ? {} : { after: outcome.after }),
    result: failed ? 'failure' : 'success',
    ...(failed ? { error: kafkaErrorName(outcome.errorCode) ?? `error code ${outcome.errorCode}` } : {}),
  };
}
