import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder in the root namespace: accepts on `listenHost` (the bridge address the
 * namespaces reach) and relays each connection to `target` (PostgreSQL, which listens on
 * 127.0.0.1 only). So every host reaches the database over its own veth, and cutting a
 * host's link cuts it off from the database too.
 *
 * hold() stands for the database host's link going down for everyone: bytes stop moving
 * both ways (each socket stops being read, nothing is closed, new connections are accepted
 * but not relayed), and release() lets everything held flow again, as TCP retransmission
 * would after a short outage.
 */
export class TcpForwarder {
  private held = false;
  private readonly sockets = new Set<Socket>();
  private readonly relaying = new Set<Socket>();
  private readonly waiting: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly target: { readonly host: string; readonly port: number },
  ) {}

  static async start(listenHost: string, target: { readonly host: string; readonly port: number }): Promise<TcpForwarder> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, listenHost, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the forwarder has no TCP address');
    const forwarder = new TcpForwarder(server, listenHost, address.port, target);
    server.on('connection', (socket) => forwarder.accept(socket));
    return forwarder;
  }

  hold(): void {
    this.held = true;
    for (const socket of this.sockets) socket.pause();
  }

  release(): void {
    this.held = false;
    // Only sockets already relaying: one read before its peer is connected would be lost.
    for (const socket of this.relaying) socket.resume();
    for (const relay of this.waiting.splice(0)) relay();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    client.pause();
    const relay = () => {
      const upstream = createConnection(this.target);
      this.track(upstream);
      upstream.once('connect', () => {
        this.relayOneWay(client, upstream);
        this.relayOneWay(upstream, client);
        if (this.held) upstream.pause();
        else client.resume();
      });
      upstream.once('error', () => client.destroy());
      client.once('error', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
    };
    if (this.held) this.waiting.push(relay);
    else relay();
  }

  /** Copies `from` into `to`, reading no further while `to` is full or the forwarder holds. */
  private relayOneWay(from: Socket, to: Socket): void {
    this.relaying.add(from);
    from.once('close', () => this.relaying.delete(from));
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.held) from.resume();
    });
    from.once('end', () => to.end());
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
