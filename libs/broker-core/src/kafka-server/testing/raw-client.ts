import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../protocol/frame-decoder.js';
import { encodeRequestHeader } from '../../protocol/header.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { decodeResponseHeader } from '../../protocol/header.js';
import { responseHeaderVersion } from '../../protocol/api-keys.js';

/**
 * A bare Kafka protocol client for tests and benchmarks: sends frames, hands back
 * response bodies by correlation id. It knows the framing and headers, nothing else, so
 * tests can send exactly the bytes they mean (including bad ones).
 */
export class RawKafkaClient {
  private readonly decoder = new FrameDecoder(1 << 30);
  private readonly pending = new Map<number, { apiKey: number; apiVersion: number; resolve: (body: Reader) => void; reject: (err: Error) => void }>();
  private nextCorrelationId = 1;
  private closedError: Error | undefined;
  /** Resolves when the server closes the connection (or it fails). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) this.onFrame(frame);
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.closedError ??= new Error('connection closed');
        for (const p of this.pending.values()) p.reject(this.closedError);
        this.pending.clear();
        resolve();
      });
    });
    socket.on('error', (err) => {
      this.closedError = err;
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new RawKafkaClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closedError !== undefined;
  }

  /**
   * Sends one request and resolves with the response body (header already read). With
   * `expectResponse: false` (Produce acks=0) it resolves once written.
   */
  request(apiKey: number, apiVersion: number, writeBody: (w: Writer) => void, options: { clientId?: string; expectResponse?: boolean } = {}): Promise<Reader> {
    const correlationId = this.nextCorrelationId++;
    const w = new Writer();
    encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: options.clientId ?? 'weir-test' });
    writeBody(w);
    if (options.expectResponse === false) {
      return new Promise((resolve, reject) => this.sendFrame(w.toBuffer(), (err) => (err ? reject(err) : resolve(new Reader(Buffer.alloc(0))))));
    }
    const response = new Promise<Reader>((resolve, reject) => {
      if (this.closedError) return reject(this.closedError);
      this.pending.set(correlationId, { apiKey, apiVersion, resolve, reject });
    });
    this.sendFrame(w.toBuffer());
    return response;
  }

  /** Writes a length-prefixed frame. */
  sendFrame(frame: Buffer, callback?: (err?: Error | null) => void): void {
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeInt32BE(frame.length, 0);
    this.sendRaw(Buffer.concat([prefix, frame]), callback);
  }

  /** Writes bytes as they are: for malformed input. */
  sendRaw(bytes: Buffer, callback?: (err?: Error | null) => void): void {
    if (this.socket.destroyed) {
      callback?.(this.closedError ?? new Error('connection closed'));
      return;
    }
    this.socket.write(bytes, callback);
  }

  /** Stops reading from the socket (a slow consumer), or starts again. */
  setReading(reading: boolean): void {
    if (reading) this.socket.resume();
    else this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const p = this.pending.get(correlationId);
    if (p === undefined) return;
    this.pending.delete(correlationId);
    const reader = new Reader(frame);
    decodeResponseHeader(reader, responseHeaderVersion(p.apiKey, p.apiVersion));
    p.resolve(reader);
  }
}
