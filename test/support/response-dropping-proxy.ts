import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  API_KEYS, FrameDecoder, Reader, Writer, decodeFindCoordinatorResponse, decodeMetadataResponse, decodeProduceResponse, decodeResponseHeader,
  encodeFindCoordinatorResponse, encodeMetadataResponse, encodeResponseHeader, responseHeaderVersion,
} from '@weir/broker-core';

const SIZE_PREFIX_BYTES = 4;
/** Request header: api key INT16, api version INT16, correlation id INT32. */
const REQUEST_HEADER_FIXED_BYTES = 8;

/** What the proxy has done so far. */
export interface ProxyCounters {
  /** Client connections accepted. */
  readonly connections: number;
  readonly produceResponses: number;
  /** Produce responses that never reached the client (their connection was then closed). */
  readonly droppedProduceResponses: number;
  /** Of those, the ones in which every partition had been appended (error code 0): the write happened, the client did not learn it. */
  readonly droppedAfterWrite: number;
  /** Metadata and FindCoordinator responses whose broker addresses were rewritten to the proxy's. */
  readonly rewrittenResponses: number;
}

/** The API key and version of a request whose response is still awaited, by correlation id. */
interface Awaited {
  readonly apiKey: number;
  readonly apiVersion: number;
}

/**
 * A TCP proxy in front of one or more Kafka listeners that loses Produce responses on
 * purpose: the broker has appended the batch and answered, the answer is thrown away and
 * the client's connection closed, so the client cannot tell whether its write happened and
 * retries the same batch (an idempotent producer's duplicate, as a network cut makes it).
 *
 * One listening port per upstream listener. Requests are forwarded byte for byte; their
 * headers are read on the way (api key, version, correlation id) so that responses can be
 * decoded with the generated codecs. Metadata and FindCoordinator responses name brokers:
 * an address that is one of the upstreams is replaced by its proxy port, so a client that
 * bootstraps through the proxy keeps going through it. Other responses pass unchanged.
 *
 * A dropped response ends the client connection and its upstream connection together;
 * responses still pending on it are lost as well (the client retries those too). Single
 * event loop; `close()` ends every connection.
 */
export class ResponseDroppingProxy {
  private readonly sockets = new Set<Socket>();
  private readonly addressMap = new Map<string, number>();
  private dropEvery = 0;
  private sinceRule = 0;
  private dropRequested = 0;
  private counters = { connections: 0, produceResponses: 0, droppedProduceResponses: 0, droppedAfterWrite: 0, rewrittenResponses: 0 };

  private constructor(private readonly servers: Map<string, Server>) {}

  /** Starts one proxy port per upstream (`host:port` as the broker advertises it) on 127.0.0.1; nothing is dropped until asked. */
  static async start(upstreams: readonly string[]): Promise<ResponseDroppingProxy> {
    const proxy = new ResponseDroppingProxy(new Map());
    for (const upstream of upstreams) await proxy.listen(upstream);
    return proxy;
  }

  /** `127.0.0.1:<proxy port>` standing for `upstream` (the first upstream by default). */
  address(upstream?: string): string {
    const key = upstream ?? [...this.servers.keys()][0]!;
    const port = this.addressMap.get(key);
    if (port === undefined) throw new Error(`no proxy for ${key}`);
    return `127.0.0.1:${port}`;
  }

  get stats(): ProxyCounters {
    return { ...this.counters };
  }

  /** From now on, every n-th Produce response is dropped (1: all of them; 0: none). */
  dropEveryNthProduceResponse(n: number): void {
    this.dropEvery = n;
    this.sinceRule = 0;
  }

  /** The next `count` Produce responses are dropped (on top of the every-n-th rule). */
  dropNextProduceResponses(count: number): void {
    this.dropRequested += count;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async listen(upstream: string): Promise<void> {
    const [host, port] = splitAddress(upstream);
    const server = createServer((client) => this.accept(client, host, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    this.servers.set(upstream, server);
    this.addressMap.set(upstream, address.port);
  }

  private accept(client: Socket, host: string, port: number): void {
    this.counters.connections += 1;
    const upstream = connect({ host, port, noDelay: true });
    client.setNoDelay(true);
    this.sockets.add(client).add(upstream);
    const awaited = new Map<number, Awaited>();
    const requests = new FrameDecoder();
    const responses = new FrameDecoder(2_147_483_647);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      try {
        for (const frame of requests.push(chunk)) {
          if (frame.length < REQUEST_HEADER_FIXED_BYTES) continue;
          awaited.set(frame.readInt32BE(4), { apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2) });
        }
      } catch {
        end();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = responses.push(chunk);
      } catch {
        end();
        return;
      }
      for (const frame of frames) {
        const request = awaited.get(frame.readInt32BE(0));
        awaited.delete(frame.readInt32BE(0));
        const out = request === undefined ? frame : this.onResponse(frame, request);
        if (out === undefined) {
          end();
          return;
        }
        const prefix = Buffer.allocUnsafe(SIZE_PREFIX_BYTES);
        prefix.writeInt32BE(out.length, 0);
        client.write(Buffer.concat([prefix, out]));
      }
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }

  /** The frame to pass on (rewritten or not), or undefined to drop it and cut the connection. */
  private onResponse(frame: Buffer, request: Awaited): Buffer | undefined {
    switch (request.apiKey) {
      case API_KEYS.Produce:
        return this.onProduceResponse(frame, request);
      case API_KEYS.Metadata:
        return this.rewrite(frame, request, (reader) => {
          const body = decodeMetadataResponse(reader, request.apiVersion);
          for (const broker of body.brokers) broker.port = this.proxyPortFor(broker.host, broker.port, () => (broker.host = '127.0.0.1'));
          return (writer) => encodeMetadataResponse(writer, body, request.apiVersion);
        });
      case API_KEYS.FindCoordinator:
        return this.rewrite(frame, request, (reader) => {
          const body = decodeFindCoordinatorResponse(reader, request.apiVersion);
          if (body.host !== '') body.port = this.proxyPortFor(body.host, body.port, () => (body.host = '127.0.0.1'));
          for (const c of body.coordinators) if (c.host !== '') c.port = this.proxyPortFor(c.host, c.port, () => (c.host = '127.0.0.1'));
          return (writer) => encodeFindCoordinatorResponse(writer, body, request.apiVersion);
        });
      default:
        return frame;
    }
  }

  private onProduceResponse(frame: Buffer, request: Awaited): Buffer | undefined {
    this.counters.produceResponses += 1;
    this.sinceRule += 1;
    const drop = this.dropRequested > 0 || (this.dropEvery > 0 && this.sinceRule % this.dropEvery === 0);
    if (!drop) return frame;
    if (this.dropRequested > 0) this.dropRequested -= 1;
    this.counters.droppedProduceResponses += 1;
    const reader = new Reader(frame);
    decodeResponseHeader(reader, responseHeaderVersion(request.apiKey, request.apiVersion));
    const body = decodeProduceResponse(reader, request.apiVersion);
    if (body.responses.every((t) => t.partitionResponses.every((p) => p.errorCode === 0))) this.counters.droppedAfterWrite += 1;
    return undefined;
  }

  /** Decodes a response body, lets `edit` change it, and encodes header and body again. */
  private rewrite(frame: Buffer, request: Awaited, edit: (reader: Reader) => (writer: Writer) => Writer): Buffer {
    const headerVersion = responseHeaderVersion(request.apiKey, request.apiVersion);
    const reader = new Reader(frame);
    const { correlationId } = decodeResponseHeader(reader, headerVersion);
    const encodeBody = edit(reader);
    this.counters.rewrittenResponses += 1;
    return encodeBody(encodeResponseHeader(new Writer(), correlationId, headerVersion)).toBuffer();
  }

  /** The proxy port standing for `host:port` (and `setHost` called), or `port` unchanged when it is not an upstream. */
  private proxyPortFor(host: string, port: number, setHost: () => void): number {
    const proxied = this.addressMap.get(`${host}:${port}`);
    if (proxied === undefined) return port;
    setHost();
    return proxied;
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new Error(`not a host:port address: ${address}`);
  return [address.slice(0, colon), port];
}
