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
 * - `blackholeAfterClientSends(text, armedBy)`: forwards the next client bytes that contain
 *   `text` (e.g. a COMMIT) on a connection that earlier sent `armedBy` (e.g. the write's
 *   pg_notify, so a read-only transaction's COMMIT does not count), and blackholes right
 *   after: the request arrives and its answer does not, an outcome the client cannot know.
 *
 * Single event loop; `close()` ends every connection and the listener.
 */
export class TcpCutProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | undefined }>();
  private blackholed = false;
  private cutAfter: { text: Buffer; armedBy: Buffer; armed: WeakSet<Socket> } | undefined;

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

  /** A proxy in front of the server a postgresql:// URL names. */
  static toServerOf(url: string): Promise<TcpCutProxy> {
    const upstream = new URL(url);
    return TcpCutProxy.start(upstream.hostname, Number(upstream.port || 5432));
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

  blackholeAfterClientSends(text: string, armedBy: string): void {
    this.cutAfter = { text: Buffer.from(text), armedBy: Buffer.from(armedBy), armed: new WeakSet() };
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
      const cut = this.cutAfter;
      if (cut === undefined) return;
      if (cut.armed.has(pair.client) && chunk.includes(cut.text)) {
        this.cutAfter = undefined;
        this.blackhole();
      } else if (chunk.includes(cut.armedBy)) {
        cut.armed.add(pair.client);
      }
    });
  }
}
