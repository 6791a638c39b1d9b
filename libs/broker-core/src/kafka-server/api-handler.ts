import type { BrokerApi } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import type { RequestHeader } from '../protocol/header.js';
import type { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';
import type { AuditSink } from '../security/audit.js';
import type { ConnectionSession } from '../security/principal.js';
import type { ListenerSecurity } from '../security/listener-security.js';
import type { ListenerStats } from './listener-stats.js';

/** What every handler may use: the broker behind both doors, and where to log. */
export interface ServerContext {
  readonly broker: BrokerApi;
  readonly logger: BrokerLogger;
  /** The versions every served API speaks, for ApiVersions. */
  readonly handlers: ReadonlyMap<number, ApiHandler>;
  readonly stats: ListenerStats;
  /** The peer of the connection the request came on, as Kafka writes it ("/127.0.0.1"); set per connection. */
  readonly clientHost?: string;
  /** This connection's principal and SASL state (User:ANONYMOUS until SASL authenticates). */
  readonly session: ConnectionSession;
  /** The listener's security protocol, TLS and SASL settings. */
  readonly security: ListenerSecurity;
  /** Where mutating admin requests are reported for the audit log, when the gateway asks. */
  readonly audit?: AuditSink;
}

/**
 * One Kafka API served by the listener. `handle` decodes the body from `body` (the
 * reader sits just past the request header) and writes the response body to `out`
 * (the response header is already in it). It returns false when no response is sent
 * (Produce with acks=0).
 *
 * Handlers must make their calls into the broker before their first `await`: requests
 * pipelined on one connection are then applied in the order they arrived, as Kafka
 * guarantees, even though their responses may take different times.
 */
export interface ApiHandler {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /**
   * The lowest version ApiVersions advertises, when lower than `minVersion`: requests below
   * `minVersion` are still refused (the connection is closed). Produce needs it: librdkafka
   * before 2.10 compresses gzip, snappy and lz4 batches only for a broker that lists
   * Produce v0 (Kafka 4.0 keeps listing v0 for the same reason, KAFKA-18659).
   */
  readonly advertisedMinVersion?: number;
  handle(ctx: ServerContext, header: RequestHeader, body: Reader, out: Writer): boolean | Promise<boolean>;
}
