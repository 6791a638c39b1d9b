import type { Socket } from 'node:net';
import { KafkaError } from '../errors.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { FrameDecoder, type PooledFrames } from '../protocol/frame-decoder.js';
import { FramePool } from '../protocol/frame-pool.js';
import { decodeRequestHeader, encodeResponseHeaderFor, type RequestHeader } from '../protocol/header.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import { ANONYMOUS, principalString, type KafkaPrincipal } from '../security/principal.js';
import { usesSasl } from '../security/listener-security.js';
import type { ServerContext } from './api-handler.js';
import { unsupportedVersionResponse } from './handlers/api-versions.js';
import { rawSaslToken, saslClosing } from './sasl/sasl-exchange.js';
import { SERVED_BEFORE_AUTHENTICATION } from './sasl/sasl-handlers.js';

/** Requests of one connection being worked on or waiting for their turn to be answered. */
export const MAX_IN_FLIGHT = 64;
/** Unsent response bytes a connection may hold before it stops reading requests (default). */
export const DEFAULT_MAX_UNSENT_BYTES = 16 * 1024 * 1024;

interface Slot {
  /**
   * The response frame once ready, its 4-byte size prefix at the start of the first chunk;
   * null when the request gets no response (acks=0).
   */
  chunks: Buffer[] | null;
  ready: boolean;
}

/** Room for the frame's size prefix at the start of a response Writer, filled in by `framed`. */
const SIZE_PREFIX_BYTES = 4;

/** The writer's chunks with the size prefix reserved at its start filled in. */
function framed(out: Writer): Buffer[] {
  const chunks = out.toChunks();
  chunks[0]!.writeInt32BE(out.length - SIZE_PREFIX_BYTES, 0);
  return chunks;
}

const EMPTY = Buffer.alloc(0);

/**
 * Large produce requests are joined in reused memory (see FramePool), shared by every
 * connection of the process. Produce may: its handler appends every batch before it
 * returns and keeps nothing of the request, so the frame goes back once it is answered.
 */
const PRODUCE_FRAMES: PooledFrames = { pool: new FramePool(), apiKeys: new Set([API_KEYS.Produce]) };

export interface ConnectionOptions {
  readonly maxRequestBytes: number;
  readonly maxUnsentBytes: number;
  readonly onClose: (connection: KafkaConnection) => void;
  /**
   * Who the peer already is before any SASL: a broker of this process, or the subject of a
   * verified TLS client certificate on an SSL listener. Such a connection skips SASL.
   */
  readonly authenticatedAs?: KafkaPrincipal;
}

/**
 * One client connection: frames in, responses out in request order (Kafka's guarantee per
 * connection), whatever order the handlers finish in.
 *
 * Backpressure: at most MAX_IN_FLIGHT requests are worked on or wait to be answered, and
 * none is started while the socket holds more than `maxUnsentBytes` that the client has
 * not read. One read can carry thousands of small requests: those beyond the limit wait,
 * decoded but not started, and reading stops until they are all started, so a client that
 * pipelines without reading cannot make the broker buffer without bound: its unsent bytes
 * stay under `maxUnsentBytes` plus the responses of the requests already started.
 *
 * Writes: a response is one frame whose size prefix sits at the start of its first chunk
 * (no separate prefix buffer), and stored record batches are chunks of their own (no
 * copy). The socket is corked from the first response sent in a tick until the next tick,
 * so the responses finished in one pass of the loop (a read's worth of produce acks
 * resolving in one microtask drain) leave in one vectored write: one syscall, not one or
 * more per response.
 *
 * Anything that breaks the stream's framing or a request's grammar (bad size prefix,
 * unreadable header, unknown API, unsupported version other than ApiVersions, a body
 * that does not decode) closes the connection, as a Kafka broker does: the client sees a
 * disconnect and reconnects.
 *
 * On a SASL listener a connection that has not authenticated may only use ApiVersions,
 * SaslHandshake and SaslAuthenticate (after a v0 handshake: bare token frames); anything
 * else closes it, and so does a failed exchange once its response is sent. Authenticated
 * connections pay one boolean check per request for this.
 */
export class KafkaConnection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Slot[] = [];
  /** Frames read but not started yet (the rest of a read beyond MAX_IN_FLIGHT), from `waitingHead` on. */
  private waiting: Buffer[] = [];
  private waitingHead = 0;
  private dispatching = false;
  private closed = false;
  private pausedNow = false;
  /** True from the first write of a tick until `uncorkSoon` runs on the next. */
  private corked = false;
  private readonly uncorkSoon = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  /** The server's context with this connection's peer, made once per connection. */
  private readonly ctx: ServerContext;

  constructor(
    private readonly socket: Socket,
    serverCtx: Omit<ServerContext, 'session' | 'clientHost'>,
    private readonly options: ConnectionOptions,
  ) {
    const known = options.authenticatedAs;
    const authenticated = known !== undefined || !usesSasl(serverCtx.security.protocol);
    this.ctx = { ...serverCtx, clientHost: `/${socket.remoteAddress ?? ''}`, session: { principal: known ?? ANONYMOUS, saslMechanism: undefined, authenticated } };
    this.decoder = new FrameDecoder(options.maxRequestBytes, PRODUCE_FRAMES);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.dispatch();
      this.maybeResume();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Requests read and not yet answered (being handled, or waiting for their turn). */
  get inFlight(): number {
    return this.queue.length;
  }

  /** Response bytes written and not yet taken by the kernel (a client not reading, or this tick's corked writes). */
  get unsentBytes(): number {
    return this.socket.writableLength;
  }

  /** True while reading is stopped for backpressure. */
  get paused(): boolean {
    return this.pausedNow;
  }

  /** Who the connection acts as now, `User:<name>` (User:ANONYMOUS before SASL). */
  get principal(): string {
    return principalString(this.ctx.session.principal);
  }

  get remoteAddress(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.waiting = [];
    // Responses already written this tick go out before the connection closes, as they did uncorked.
    if (this.corked) this.uncorkSoon();
    this.socket.destroy();
    this.options.onClose(this);
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      return this.fail(err, 'bad frame');
    }
    if (this.waitingHead === this.waiting.length) {
      this.waiting = frames;
      this.waitingHead = 0;
    } else {
      for (const frame of frames) this.waiting.push(frame);
    }
    this.dispatch();
    this.maybePause();
  }

  /**
   * Starts waiting requests, in order, while fewer than MAX_IN_FLIGHT are in flight and the
   * client keeps up with its responses. Re-entered from `flush` when a request is answered
   * synchronously, so the loop here (not the stack) carries on.
   */
  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (!this.closed && this.waitingHead < this.waiting.length && this.queue.length < MAX_IN_FLIGHT && this.socket.writableLength <= this.options.maxUnsentBytes) {
        const frame = this.waiting[this.waitingHead]!;
        this.waiting[this.waitingHead++] = EMPTY;
        this.onFrame(frame);
      }
      if (this.waitingHead === this.waiting.length) {
        this.waiting = [];
        this.waitingHead = 0;
      }
    } finally {
      this.dispatching = false;
    }
  }

  private onFrame(frame: Buffer): void {
    if (!this.ctx.session.authenticated) {
      const token = rawSaslToken(this.ctx.session, frame);
      if (token !== undefined) return this.onRawSaslToken(token);
    }
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(reader);
    } catch (err) {
      return this.fail(err, 'unreadable request header');
    }
    const handler = this.ctx.handlers.get(header.apiKey);
    if (handler === undefined) return this.fail(undefined, `unknown api key ${header.apiKey}`);
    if (!this.ctx.session.authenticated && !SERVED_BEFORE_AUTHENTICATION.has(header.apiKey)) {
      return this.fail(undefined, `Unexpected Kafka request of type ${handler.name} during SASL handshake`);
    }
    this.ctx.stats.countRequest(handler.name);
    const out = new Writer().int32(0);
    if (header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      if (!unsupportedVersionResponse(header, out)) {
        return this.fail(undefined, `${handler.name} v${header.apiVersion} is not supported (${handler.minVersion}..${handler.maxVersion})`);
      }
      this.queue.push({ chunks: framed(out), ready: true });
      return this.flush();
    }
    const slot: Slot = { chunks: null, ready: false };
    this.queue.push(slot);
    encodeResponseHeaderFor(out, header);
    const done = (respond: boolean): void => {
      PRODUCE_FRAMES.pool.release(frame);
      slot.chunks = respond ? framed(out) : null;
      slot.ready = true;
      this.flush();
    };
    try {
      const result = handler.handle(this.ctx, header, reader, out);
      if (typeof result === 'boolean') done(result);
      else result.then(done, (err: unknown) => this.fail(err, `${handler.name} v${header.apiVersion} failed`));
    } catch (err) {
      this.fail(err, `${handler.name} v${header.apiVersion} failed`);
    }
  }

  /**
   * A SASL token after a v0 handshake: the challenge goes back as a bare frame, in its turn.
   * A failed exchange has no way to say why in this framing: the connection just closes.
   */
  private onRawSaslToken(token: Promise<Buffer>): void {
    const slot: Slot = { chunks: null, ready: false };
    this.queue.push(slot);
    token.then((challenge) => {
      const prefix = Buffer.allocUnsafe(SIZE_PREFIX_BYTES);
      prefix.writeInt32BE(challenge.length, 0);
      slot.chunks = [prefix, challenge];
      slot.ready = true;
      this.flush();
    }, (err: unknown) => this.fail(undefined, `SASL authentication failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Sends every answered request at the head of the queue, in order. */
  private flush(): void {
    while (!this.closed && this.queue.length > 0 && this.queue[0]!.ready) {
      const { chunks } = this.queue.shift()!;
      if (chunks === null) continue;
      if (!this.corked) {
        this.corked = true;
        this.socket.cork();
        process.nextTick(this.uncorkSoon);
      }
      for (const c of chunks) this.socket.write(c);
      if (!this.ctx.session.authenticated && saslClosing(this.ctx.session)) return this.closeAfterWrites();
    }
    this.dispatch();
    this.maybePause();
    this.maybeResume();
  }

  /** Closes once what was written has gone out (the response that says why). */
  private closeAfterWrites(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.waiting = [];
    this.socket.end(() => this.socket.destroy());
    this.options.onClose(this);
  }

  private maybePause(): void {
    if (this.pausedNow || this.closed) return;
    if (this.queue.length >= MAX_IN_FLIGHT || this.waitingHead < this.waiting.length || this.socket.writableLength > this.options.maxUnsentBytes) {
      this.pausedNow = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.pausedNow || this.closed) return;
    if (this.queue.length < MAX_IN_FLIGHT / 2 && this.waitingHead === this.waiting.length && this.socket.writableLength <= this.options.maxUnsentBytes) {
      this.pausedNow = false;
      this.socket.resume();
    }
  }

  private fail(err: unknown, why: string): void {
    if (this.closed) return;
    this.ctx.stats.protocolErrors++;
    const detail = err instanceof Error ? err.message : '';
    const log = err instanceof Error && !(err instanceof KafkaError) ? this.ctx.logger.error : this.ctx.logger.info;
    log.call(this.ctx.logger, `closing Kafka connection from ${this.remoteAddress}: ${why}${detail ? ` (${detail})` : ''}`, err);
    this.close();
  }
}
