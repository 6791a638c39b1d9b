import { connect, type Socket } from 'node:net';
import { isKafkaError } from '../errors.js';
import { API_KEYS, responseHeaderVersion } from '../protocol/api-keys.js';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import { decodeResponseHeader, encodeRequestHeader } from '../protocol/header.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import type { Scheduler } from '../timer/scheduler.js';
import { CLIENT_APIS, type ClientApiKey, type ClientRequest, type ClientResponse } from './client-apis.js';
import { InFlightRequests, type PendingRequest } from './in-flight-requests.js';
import { KafkaClientError } from './kafka-client-error.js';
import { reachesInProcessListener, trackInProcessConnection } from '../kafka-server/sasl/in-process-peers.js';
import { usesSasl, usesTls } from '../security/listener-security.js';
import { startClientTls, type ClientSecurity } from './client-security.js';
import { authenticateSasl } from './sasl-client.js';

const SIZE_PREFIX_BYTES = 4;
const CORRELATION_ID_BYTES = 4;
const MAX_CORRELATION_ID = 0x7fffffff;

export interface KafkaClientConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Sent in every request header (Kafka's replica fetchers send `broker-<id>-fetcher-<n>`). */
  readonly clientId: string;
  /** Runs the connect and request timeouts (the timing wheel; never a setTimeout per request). */
  readonly timer: Scheduler;
  readonly connectTimeoutMs: number;
  /** How long a request may wait for its response; must exceed any long-poll it carries (a Fetch's max_wait_ms). */
  readonly requestTimeoutMs: number;
  /** A response frame above this is a protocol error (checked on the size prefix, before anything is buffered for it). */
  readonly maxResponseBytes: number;
  /** TLS and SASL towards brokers of other processes (the inter-broker security); plaintext when absent. */
  readonly security?: ClientSecurity;
}

/**
 * One TCP connection from this broker to another, speaking the Kafka protocol as a
 * client: requests are encoded with the generated codecs and written at once, so many
 * may be in flight (pipelined); responses come back in request order and are matched to
 * their request by correlation id (see InFlightRequests).
 *
 * Headers: request header v2 for an API's flexible versions and v1 before them, response
 * header v1 / v0 alike (ApiVersions answers with v0 always); api-keys.ts decides.
 *
 * Buffers: a response is decoded straight from its frame, so a Fetch response's records
 * are views into the frame, never copies. A frame that arrives in one socket read is
 * itself a view of that read's buffer; one that spans reads is joined once.
 *
 * Failure: any error (socket error, close by either side, a request timeout, a protocol
 * violation) kills the connection: every pending request is rejected with one
 * KafkaClientError naming the cause, `closed` resolves with it, and later sends reject
 * with it at once. The owner makes a new connection (BrokerConnections does, with a
 * backoff). A timeout kills the connection, as in Kafka's NetworkClient, because the
 * late response would still arrive ahead of every later one.
 *
 * Callers: one event loop; a long-poll Fetch holds up every request sent after it on the
 * same connection (the peer answers in order), so latency-sensitive traffic should not
 * share a connection with a replica fetcher.
 */
export class KafkaClientConnection {
  private readonly decoder: FrameDecoder;
  private readonly inFlight = new InFlightRequests();
  private nextCorrelationId = 0;
  private failure: KafkaClientError | undefined;
  private resolveClosed!: (err: KafkaClientError) => void;
  /** Resolves (never rejects) with the error that ended the connection. */
  readonly closed: Promise<KafkaClientError>;
  /** `host:port`, for log lines. */
  readonly remote: string;

  private constructor(
    private readonly socket: Socket,
    private readonly options: KafkaClientConnectionOptions,
  ) {
    this.remote = `${options.host}:${options.port}`;
    this.decoder = new FrameDecoder(options.maxResponseBytes);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new KafkaClientError('disconnected', `connection to ${this.remote} failed: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new KafkaClientError('disconnected', `connection to ${this.remote} closed by the peer`)));
  }

  /**
   * Connects, secures and authenticates as `options.security` says (TLS, then SASL; a
   * listener of this process is reached plainly, as it expects), or rejects with a
   * KafkaClientError: 'disconnected' when refused or failed, 'authentication' when TLS
   * or SASL failed, 'timeout' when all of it took longer than connectTimeoutMs.
   */
  static connect(options: KafkaClientConnectionOptions): Promise<KafkaClientConnection> {
    const remote = `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: { connection: KafkaClientConnection } | { error: unknown }): void => {
        if (settled) {
          if ('connection' in outcome) outcome.connection.close();
          return;
        }
        settled = true;
        timeout.cancel();
        if ('connection' in outcome) resolve(outcome.connection);
        else reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
      };
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      // A listener of this process then knows the connection is one of its brokers', not a client needing SASL/TLS.
      trackInProcessConnection(socket, options.port);
      const timeout = options.timer.schedule(options.connectTimeoutMs, () => {
        settle({ error: new KafkaClientError('timeout', `no connection to ${remote} within ${options.connectTimeoutMs} ms`) });
        socket.destroy();
      });
      const onError = (err: Error): void => {
        settle({ error: new KafkaClientError('disconnected', `cannot connect to ${remote}: ${err.message}`, { cause: err }) });
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        KafkaClientConnection.secure(socket, options, remote).then(
          (connection) => settle({ connection }),
          (error: unknown) => {
            socket.destroy();
            settle({ error });
          },
        );
      });
    });
  }

  /** TLS and SASL over a connected socket, unless the peer is a listener of this process. */
  private static async secure(socket: Socket, options: KafkaClientConnectionOptions, remote: string): Promise<KafkaClientConnection> {
    const security = options.security;
    if (security === undefined || security.protocol === 'PLAINTEXT' || reachesInProcessListener(socket)) {
      return new KafkaClientConnection(socket, options);
    }
    const transport = usesTls(security.protocol) ? await startClientTls(socket, options.host, security.tls ?? {}, remote) : socket;
    const connection = new KafkaClientConnection(transport, options);
    if (usesSasl(security.protocol)) {
      try {
        if (security.sasl === undefined) throw new KafkaClientError('authentication', `${security.protocol} to ${remote} needs SASL credentials, and none are configured`);
        await authenticateSasl(connection, security.sasl);
      } catch (err) {
        connection.close();
        throw err;
      }
    }
    return connection;
  }

  get isClosed(): boolean {
    return this.failure !== undefined;
  }

  /** Requests written and not answered yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Sends one request and resolves with its decoded response body. Rejects with a
   * KafkaClientError when the connection fails first, or with the codec's error (nothing
   * written, the connection stays up) when `body` cannot be encoded at `version`.
   */
  send<K extends ClientApiKey>(apiKey: K, version: number, body: ClientRequest<K>): Promise<ClientResponse<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const api = CLIENT_APIS[apiKey];
    if (apiKey === API_KEYS.Produce && (body as ClientRequest<typeof API_KEYS.Produce>).acks === 0) {
      return Promise.reject(new RangeError('a Produce with acks=0 gets no response; this client only sends requests that are answered'));
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = correlationId === MAX_CORRELATION_ID ? 0 : correlationId + 1;
    const writer = new Writer();
    try {
      encodeRequestHeader(writer, { apiKey, apiVersion: version, correlationId, clientId: this.options.clientId });
      // The table's encoders take their own request type; K ties `body` to this one.
      (api.encode as (w: Writer, data: ClientRequest<K>, v: number) => Writer)(writer, body, version);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise((resolve, reject) => {
      const request: PendingRequest = {
        correlationId, apiKey, apiVersion: version, decode: api.decode,
        resolve: resolve as (body: unknown) => void, reject, timeout: undefined,
      };
      request.timeout = this.options.timer.schedule(this.options.requestTimeoutMs, () => {
        this.fail(new KafkaClientError('timeout', `${api.name} v${version} (correlation id ${correlationId}) to ${this.remote} got no response within ${this.options.requestTimeoutMs} ms`));
      });
      this.inFlight.add(request);
      this.writeFrame(writer);
    });
  }

  fetch(version: number, request: ClientRequest<typeof API_KEYS.Fetch>): Promise<ClientResponse<typeof API_KEYS.Fetch>> {
    return this.send(API_KEYS.Fetch, version, request);
  }

  offsetForLeaderEpoch(version: number, request: ClientRequest<typeof API_KEYS.OffsetForLeaderEpoch>): Promise<ClientResponse<typeof API_KEYS.OffsetForLeaderEpoch>> {
    return this.send(API_KEYS.OffsetForLeaderEpoch, version, request);
  }

  listOffsets(version: number, request: ClientRequest<typeof API_KEYS.ListOffsets>): Promise<ClientResponse<typeof API_KEYS.ListOffsets>> {
    return this.send(API_KEYS.ListOffsets, version, request);
  }

  metadata(version: number, request: ClientRequest<typeof API_KEYS.Metadata>): Promise<ClientResponse<typeof API_KEYS.Metadata>> {
    return this.send(API_KEYS.Metadata, version, request);
  }

  produce(version: number, request: ClientRequest<typeof API_KEYS.Produce>): Promise<ClientResponse<typeof API_KEYS.Produce>> {
    return this.send(API_KEYS.Produce, version, request);
  }

  /** Closes the connection; pending requests reject with 'disconnected'. Idempotent. */
  close(): void {
    this.fail(new KafkaClientError('disconnected', `connection to ${this.remote} closed by its owner`));
  }

  /** Size prefix, then the header and body chunks (large record sets stay their own chunk), in one corked write. */
  private writeFrame(writer: Writer): void {
    const prefix = Buffer.allocUnsafe(SIZE_PREFIX_BYTES);
    prefix.writeInt32BE(writer.length, 0);
    this.socket.cork();
    this.socket.write(prefix);
    for (const chunk of writer.toChunks()) this.socket.write(chunk);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      const detail = isKafkaError(err) ? err.message : String(err);
      this.fail(new KafkaClientError('protocol', `bad response frame from ${this.remote} (maxResponseBytes ${this.options.maxResponseBytes}): ${detail}`, { cause: err }));
      return;
    }
    for (const frame of frames) {
      if (this.failure) return;
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < CORRELATION_ID_BYTES) {
      this.fail(new KafkaClientError('protocol', `response frame of ${frame.length} bytes from ${this.remote} has no correlation id`));
      return;
    }
    const correlationId = frame.readInt32BE(0);
    const request = this.inFlight.completeOldest(correlationId);
    if (request === undefined) {
      const expected = this.inFlight.oldestCorrelationId();
      this.fail(new KafkaClientError('protocol', `response with correlation id ${correlationId} from ${this.remote}, expected ${expected ?? 'none (no request pending)'}`));
      return;
    }
    let body: unknown;
    try {
      const reader = new Reader(frame);
      decodeResponseHeader(reader, responseHeaderVersion(request.apiKey, request.apiVersion));
      body = request.decode(reader, request.apiVersion);
    } catch (err) {
      const failure = new KafkaClientError('protocol', `undecodable response (api ${request.apiKey} v${request.apiVersion}, correlation id ${correlationId}) from ${this.remote}: ${String(err)}`, { cause: err });
      request.reject(failure);
      this.fail(failure);
      return;
    }
    request.resolve(body);
  }

  private fail(err: KafkaClientError): void {
    if (this.failure) return;
    this.failure = err;
    this.socket.destroy();
    this.inFlight.failAll(err);
    this.resolveClosed(err);
  }
}
