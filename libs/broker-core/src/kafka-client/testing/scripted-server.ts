import { createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../protocol/frame-decoder.js';
import { decodeRequestHeader, encodeResponseHeaderFor, type RequestHeader } from '../../protocol/header.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';

export interface ScriptedRequest {
  readonly header: RequestHeader;
  /** Positioned at the request body. */
  readonly body: Reader;
  /** Which accepted connection (0, 1, ...) it came on. */
  readonly connection: number;
}

/**
 * What the server does with one request: answer with a body (the response header the
 * API version calls for is written first; in writes of `pieceBytes` if given), write
 * exact bytes (a size prefix included), never answer, or close the connection. A request
 * left unanswered does not hold up the answers to later ones: that is how a test makes
 * a peer answer out of order.
 */
export type ScriptedReply =
  | { readonly respond: (writer: Writer) => void; readonly pieceBytes?: number }
  | { readonly raw: Buffer }
  | { readonly hang: true }
  | { readonly close: true };

export type ScriptedHandler = (request: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;

/**
 * A tiny Kafka-speaking TCP server for client and fetcher tests: a handler decides each
 * answer, so a test can produce what a real broker cannot (silence, oversized frames,
 * wrong correlation ids, chosen error codes). Replies go out in request order per
 * connection, as a broker's do, even when the handler is async.
 */
export class ScriptedKafkaServer {
  private readonly sockets = new Set<Socket>();
  /** Every request header received, in arrival order. */
  readonly requests: RequestHeader[] = [];
  accepted = 0;

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(handler: ScriptedHandler): Promise<ScriptedKafkaServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const self = new ScriptedKafkaServer(server, address.port);
    server.on('connection', (socket) => self.serve(socket, handler));
    return self;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Drops every open connection, as a broker that crashed would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket, handler: ScriptedHandler): void {
    const connection = this.accepted++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    let replies: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const body = new Reader(frame);
        const header = decodeRequestHeader(body);
        this.requests.push(header);
        const reply = (async () => handler({ header, body, connection }))();
        replies = replies.then(async () => writeReply(socket, header, await reply)).catch(() => undefined);
      }
    });
  }
}

/** Resolves once the reply has been handed to the socket (all of its pieces). */
async function writeReply(socket: Socket, header: RequestHeader, reply: ScriptedReply): Promise<void> {
  if (socket.destroyed) return;
  if ('close' in reply) {
    socket.destroy();
  } else if ('raw' in reply) {
    socket.write(reply.raw);
  } else if ('respond' in reply) {
    const writer = encodeResponseHeaderFor(new Writer(), header);
    reply.respond(writer);
    const frame = rawFrame(writer.toBuffer());
    const piece = reply.pieceBytes ?? frame.length;
    // One piece per write, the next only after the last left: on loopback each tends to arrive as its own read.
    for (let at = 0; at < frame.length && !socket.destroyed; at += piece) {
      await new Promise<void>((resolve) => socket.write(frame.subarray(at, at + piece), () => setImmediate(resolve)));
    }
  }
}

/** A frame (size prefix included) holding `payload` as the whole response. */
export function rawFrame(payload: Buffer): Buffer {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}
