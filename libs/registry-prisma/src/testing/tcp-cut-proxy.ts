import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream (PostgreSQL in the registry tests)
 * that can cut the path the two ways a network does:
 *
 * - `blackhole()`: nothing moves any more and nothing is closed. Both sides of every
 *   connection stop being read (bytes wait in the kernel's buffers, as unacknowledged
 *   segments wait for retransmission), and new connections are accepted but not joined to
 *   the upstream. `heal()` lets everything move again: bytes sent meanwhile arrive late,
 *   none are lost, exactly like a link that comes back before TCP gives up.
 * - `reset()`: every connection is destroyed at once (both peers see the connection end).
 * - `blackholeAfterClientSends(text)`: forwards the next client bytes that contain `text`
 *   (e.g. a COMMIT) and blackholes right after, so the request arrives and its answer does
 *   not: an outcome the client cannot know.
 *
 * Single event loop; `close()` ends every connection and the listener.
 */
export class TcpCutProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | undefined }>();
  private blackholed = false;
  private cutAfter: Buffer | undefined;

  private constructor(
    private readonly server: Server,
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1, forwarding to `host:port`. */
  static async start(upstreamHost: string, upstreamPort: number): Promise<TcpCutProxy> {
    const server = createServer();
    const proxy = new TcpCutProxy(server, upstreamHost, upstreamPort);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` (a postgresql:// URL) with its host and port replaced by the proxy's. */
  rewriteUrl(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.pairs.size;
  }

  blackhole(): void {
    this.blackholed = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  heal(): void {
    this.blackholed = false;
    for (const pair of this.pairs) {
      if (pair.upstream === undefined) this.join(pair);
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  blackholeAfterClientSends(text: string): void {
    this.cutAfter = Buffer.from(text);
  }

  reset(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: { client: Socket; upstream: Socket | undefined } = { client, upstream: undefined };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.blackholed) client.pause();
    else this.join(pair);
  }

  private join(pair: { client: Socket; upstream: Socket | undefined }): void {
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      pair.client.destroy();
      this.pairs.delete(pair);
    });
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    // Registered after the pipe's own listener: the chunk is already written upstream.
    pair.client.on('data', (chunk: Buffer) => {
      if (this.cutAfter === undefined || !chunk.includes(this.cutAfter)) return;
      this.cutAfter = undefined;
      this.blackhole();
    });
  }
}
