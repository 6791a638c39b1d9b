/**
 * One mutating operation, as the broker reports it for the audit log. The gateway
 * writes these (with the REST door's own) to the audit table; broker-core only emits.
 */
export interface AuditEvent {
  /** The principal's name (`alice`, `ANONYMOUS`). */
  readonly actor: string;
  readonly door: 'kafka' | 'rest' | 'console';
  /** The client's address. */
  readonly source: string;
  /** e.g. topic.create, topic.delete, topic.configs.alter, acl.create (see docs/security.md). */
  readonly action: string;
  /** e.g. topic:orders, group:billing, broker:1, cluster. */
  readonly resource: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly result: 'success' | 'failure';
  /** Why it failed: the Kafka error name or the REST message. */
  readonly error?: string;
}

/** Receives audit events; must not throw and must not block (queue and write later). */
export interface AuditSink {
  record(event: AuditEvent): void;
}
