import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { BrokerApi } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame-decoder.js';
import type { ApiHandler, ServerContext } from './api-handler.js';
import { DEFAULT_MAX_UNSENT_BYTES, KafkaConnection } from './connection.js';
import { API_HANDLERS } from './handlers/index.js';
import { ListenerStats } from './listener-stats.js';
import type { AuditSink } from '../security/audit.js';
import { usesTls, type ListenerSecurity } from '../security/listener-security.js';
import type { KafkaPrincipal } from '../security/principal.js';
import { INTER_BROKER_PRINCIPAL, isInProcessPeer, registerInProcessListener } from './sasl/in-process-peers.js';
import { tlsClientPrincipal } from './sasl/tls-principal.js';

const PLAINTEXT: ListenerSecurity = { protocol: 'PLAINTEXT' };
/** A client that has not finished its TLS handshake by then is dropped. */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

function peerKey(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

export interface KafkaListenerOptions {
  /** Interface to bind; 127.0.0.1 by default. */
  readonly host?: string;
  /** 9092 by default; 0 picks a free port (read it back from `port`). */
  readonly port?: number;
  /** socket.request.max.bytes: larger request frames close the connection. */
  readonly maxRequestBytes?: number;
  /** Unsent response bytes per connection before it stops reading requests (16 MiB). */
  readonly maxUnsentBytes?: number;
  readonly logger?: BrokerLogger;
  /** The APIs to serve; all of Weir's by default (tests may narrow it). */
  readonly handlers?: readonly ApiHandler[];
  /** PLAINTEXT by default. */
  readonly security?: ListenerSecurity;
  /** Receives the admin operations this listener serves, for the audit log. */
  readonly audit?: AuditSink;
}

/**
 * The Kafka protocol door: a TCP listener speaking Kafka's framing and request grammar,
 * serving the same BrokerApi the REST gateway uses.
 *
 * It binds before the broker starts (`bind`), so that the broker can advertise the port
 * actually bound (port 0 in tests); connections that arrive before `serve` wait, unread,
 * until the broker is there.
 *
 * On SSL and SASL_SSL listeners each accepted socket is wrapped in TLS (the framing and
 * backpressure above it are the same). Connections made by this process's own brokers
 * (kafka-client) are recognised by their address and skip TLS and SASL: they are the
 * inter-broker traffic of one LocalCluster, as Kafka would carry on its inter-broker
 * listener.
 */
export class KafkaListener {
  private ctx: Omit<ServerContext, 'session' | 'clientHost'> | undefined;
  private readonly waiting: Socket[] = [];
  private readonly connections = new Set<KafkaConnection>();
  /** Accepted sockets not yet a connection: deciding whether the peer is in-process, or in the TLS handshake (by peer address). */
  private readonly opening = new Set<Socket>();
  private readonly handshaking = new Map<string, Socket>();
  /** Runs the TLS handshakes of an SSL/SASL_SSL listener; never listens itself (sockets are handed to it). */
  private tlsServer: TlsServer | undefined;
  private closing = false;
  /** Requests by API, protocol errors and connections since the listener was bound. */
  readonly stats = new ListenerStats();

  /** Forgets this listener as one of the process's own (set once bound). */
  private unregister: () => void = () => undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: KafkaListenerOptions,
  ) {}

  static async bind(options: KafkaListenerOptions = {}): Promise<KafkaListener> {
    const server = createServer({ noDelay: true, pauseOnConnect: true });
    const listener = new KafkaListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 9092, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    // This process's brokers then reach this listener as one of their own (no TLS, no SASL).
    if (address !== null && typeof address !== 'string') listener.unregister = registerInProcessListener(address.address, address.port);
    return listener;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the Kafka listener is not bound');
    return address.port;
  }

  get connectionCount(): number {
    return this.connections.size + this.waiting.length + this.opening.size + this.handshaking.size;
  }

  /** Requests read and not yet answered, over all connections (long-polls waiting included). */
  get inFlightRequestCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.inFlight;
    return n;
  }

  /** The most requests any one connection has in flight now (at most MAX_IN_FLIGHT). */
  get maxInFlightPerConnection(): number {
    let n = 0;
    for (const c of this.connections) n = Math.max(n, c.inFlight);
    return n;
  }

  /** Response bytes held for clients, over all connections (what slow readers cost the broker). */
  get unsentBytes(): number {
    let n = 0;
    for (const c of this.connections) n += c.unsentBytes;
    return n;
  }

  /** Connections whose reading is stopped because their client is not reading responses. */
  get pausedConnectionCount(): number {
    let n = 0;
    for (const c of this.connections) if (c.paused) n++;
    return n;
  }

  /** The principal of every open connection (`User:ANONYMOUS` until SASL authenticates one). */
  connectedPrincipals(): string[] {
    return [...this.connections].map((c) => c.principal);
  }

  /** Starts answering requests with `broker`; waiting connections are taken up first. */
  serve(broker: BrokerApi): void {
    const handlers = this.options.handlers ?? API_HANDLERS;
    this.ctx = {
      broker,
      logger: this.options.logger ?? SILENT_STORAGE_LOGGER,
      handlers: new Map(handlers.map((h) => [h.apiKey, h])),
      stats: this.stats,
      security: this.options.security ?? PLAINTEXT,
      ...(this.options.audit === undefined ? {} : { audit: this.options.audit }),
    };
    const security = this.ctx.security;
    if (usesTls(security.protocol)) {
      if (security.tls === undefined) throw new Error(`a ${security.protocol} listener needs a TLS certificate and key`);
      this.tlsServer = this.startTls(security.tls);
    }
    for (const socket of this.waiting.splice(0)) this.open(socket);
  }

  /** Stops accepting, closes every connection, and resolves once the server is closed. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.unregister();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.waiting.splice(0)) socket.destroy();
    for (const socket of [...this.opening, ...this.handshaking.values()]) socket.destroy();
    for (const connection of [...this.connections]) connection.close();
    await closed;
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.stats.connectionsAccepted++;
    if (this.ctx === undefined) {
      socket.pause();
      socket.once('close', () => {
        const i = this.waiting.indexOf(socket);
        if (i >= 0) this.waiting.splice(i, 1);
      });
      socket.on('error', () => socket.destroy());
      this.waiting.push(socket);
      return;
    }
    this.open(socket);
  }

  /** Sockets arrive paused (pauseOnConnect): nothing is read before TLS or the connection takes them. */
  private open(socket: Socket): void {
    const inProcess = isInProcessPeer(socket);
    if (typeof inProcess === 'boolean') return this.secure(socket, inProcess);
    this.opening.add(socket);
    socket.once('close', () => this.opening.delete(socket));
    socket.on('error', () => socket.destroy());
    void inProcess.then((yes) => {
      this.opening.delete(socket);
      if (!socket.destroyed) this.secure(socket, yes);
    });
  }

  /**
   * A tls.Server that is handed the accepted sockets: it runs the handshake (with its
   * timeout) and decides `authorized` against the CA, which a bare TLSSocket does not.
   */
  private startTls(tls: NonNullable<ListenerSecurity['tls']>): TlsServer {
    const clientAuth = tls.clientAuth ?? 'none';
    const server = createTlsServer({
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      requestCert: clientAuth !== 'none',
      rejectUnauthorized: clientAuth === 'required',
      handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      this.handshaking.delete(peerKey(socket));
      if (this.closing) return void socket.destroy();
      // Kafka's default principal builder: the verified certificate's subject on SSL; SASL decides on SASL_SSL.
      this.attach(socket, this.ctx!.security.protocol === 'SSL' ? tlsClientPrincipal(socket) : undefined);
    });
    server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      this.handshaking.delete(peerKey(socket));
      this.options.logger?.info(`TLS handshake with ${socket.remoteAddress ?? '?'} failed: ${err.message}`);
    });
    return server;
  }

  /** TLS for a client of an SSL/SASL_SSL listener; then the Kafka connection. */
  private secure(socket: Socket, inProcess: boolean): void {
    if (inProcess) return this.attach(socket, INTER_BROKER_PRINCIPAL);
    if (this.tlsServer === undefined) return this.attach(socket, undefined);
    this.handshaking.set(peerKey(socket), socket);
    this.tlsServer.emit('connection', socket);
  }

  private attach(socket: Socket, authenticatedAs: KafkaPrincipal | undefined): void {
    const connection = new KafkaConnection(socket, this.ctx!, {
      maxRequestBytes: this.options.maxRequestBytes ?? DEFAULT_SOCKET_REQUEST_MAX_BYTES,
      maxUnsentBytes: this.options.maxUnsentBytes ?? DEFAULT_MAX_UNSENT_BYTES,
      onClose: (c) => this.connections.delete(c),
      ...(authenticatedAs === undefined ? {} : { authenticatedAs }),
    });
    this.connections.add(connection);
    socket.resume();
  }
}
