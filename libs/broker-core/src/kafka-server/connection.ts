import type { Socket } from 'node:net';
import { KafkaError } from '../errors.js';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import { decodeRequestHeader, encodeResponseHeaderFor, type RequestHeader } from '../protocol/header.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import type { ServerContext } from './api-handler.js';
import { unsupportedVersionResponse } from './handlers/api-versions.js';

/** Requests of one connection being worked on or waiting for their turn to be answered. */
const MAX_IN_FLIGHT = 64;
/** Unsent response bytes a connection may hold before it stops reading requests (default). */
export const DEFAULT_MAX_UNSENT_BYTES = 16 * 1024 * 1024;

interface Slot {
  /** Response chunks once ready; null when the request gets no response (acks=0). */
  chunks: Buffer[] | null;
  ready: boolean;
}

export interface ConnectionOptions {
  readonly maxRequestBytes: number;
  readonly maxUnsentBytes: number;
  readonly onClose: (connection: KafkaConnection) => void;
}

/**
 * One client connection: frames in, responses out in request order (Kafka's guarantee per
 * connection), whatever order the handlers finish in.
 *
 * Backpressure: reading stops while MAX_IN_FLIGHT requests are unanswered or the socket
 * holds more than `maxUnsentBytes` that the client has not read, and resumes when both
 * drop again, so a client that pipelines without reading cannot make the broker buffer
 * without bound.
 *
 * Anything that breaks the stream's framing or a request's grammar (bad size prefix,
 * unreadable header, unknown API, unsupported version other than ApiVersions, a body
 * that does not decode) closes the connection, as a Kafka broker does: the client sees a
 * disconnect and reconnects.
 */
export class KafkaConnection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Slot[] = [];
  private closed = false;
  private pausedNow = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ServerContext,
    private readonly options: ConnectionOptions,
  ) {
    this.decoder = new FrameDecoder(options.maxRequestBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Requests read and not yet answered (being handled, or waiting for their turn). */
  get inFlight(): number {
    return this.queue.length;
  }

  /** True while reading is stopped for backpressure. */
  get paused(): boolean {
    return this.pausedNow;
  }

  get remoteAddress(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
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
    for (const frame of frames) {
      if (this.closed) return;
      this.onFrame(frame);
    }
    this.maybePause();
  }

  private onFrame(frame: Buffer): void {
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(reader);
    } catch (err) {
      return this.fail(err, 'unreadable request header');
    }
    const handler = this.ctx.handlers.get(header.apiKey);
    if (handler === undefined) return this.fail(undefined, `unknown api key ${header.apiKey}`);
    this.ctx.stats.countRequest(handler.name);
    const out = new Writer();
    if (header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      if (!unsupportedVersionResponse(header, out)) {
        return this.fail(undefined, `${handler.name} v${header.apiVersion} is not supported (${handler.minVersion}..${handler.maxVersion})`);
      }
      this.queue.push({ chunks: out.toChunks(), ready: true });
      return this.flush();
    }
    const slot: Slot = { chunks: null, ready: false };
    this.queue.push(slot);
    encodeResponseHeaderFor(out, header);
    const done = (respond: boolean): void => {
      slot.chunks = respond ? out.toChunks() : null;
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

  /** Sends every answered request at the head of the queue, in order. */
  private flush(): void {
    while (!this.closed && this.queue.length > 0 && this.queue[0]!.ready) {
      const { chunks } = this.queue.shift()!;
      if (chunks === null) continue;
      let size = 0;
      for (const c of chunks) size += c.length;
      const prefix = Buffer.allocUnsafe(4);
      prefix.writeInt32BE(size, 0);
      this.socket.cork();
      this.socket.write(prefix);
      for (const c of chunks) this.socket.write(c);
      this.socket.uncork();
    }
    this.maybePause();
    this.maybeResume();
  }

  private maybePause(): void {
    if (this.pausedNow || this.closed) return;
    if (this.queue.length >= MAX_IN_FLIGHT || this.socket.writableLength > this.options.maxUnsentBytes) {
      this.pausedNow = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.pausedNow || this.closed) return;
    if (this.queue.length < MAX_IN_FLIGHT / 2 && this.socket.writableLength <= this.options.maxUnsentBytes) {
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
