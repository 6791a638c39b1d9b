import type { Socket } from 'node:net';
import { RegistryError } from '@weir/broker-core';
import zookeeper from 'node-zookeeper-client';
import { AnswerWatchdog } from './answer-watchdog.js';

/**
 * The `jute.maxbuffer` ZooKeeper servers need for Weir (its default is 1 MiB - 1): 1 MiB of
 * data plus the stat line and a multi's other ops. The test servers run with it.
 */
export const ZOOKEEPER_MAX_BUFFER_BYTES = 4 * 1024 * 1024;

export type ZkOp =
  | { readonly op: 'create'; readonly path: string; readonly data: Buffer }
  | { readonly op: 'setData'; readonly path: string; readonly data: Buffer; readonly version: number }
  | { readonly op: 'delete'; readonly path: string; readonly version: number }
  | { readonly op: 'check'; readonly path: string; readonly version: number };

/** A ZooKeeper error with the server's code (`NO_NODE`, `BAD_VERSION`, `CONNECTION_LOSS`...). */
export class ZooKeeperCallError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    readonly path: string | undefined,
  ) {
    super(`ZooKeeper ${codeName}${path === undefined ? '' : ` at ${path}`}`);
    this.name = 'ZooKeeperCallError';
  }
}

export const ZK = {
  NO_NODE: zookeeper.Exception.NO_NODE,
  NODE_EXISTS: zookeeper.Exception.NODE_EXISTS,
  BAD_VERSION: zookeeper.Exception.BAD_VERSION,
  NOT_EMPTY: zookeeper.Exception.NOT_EMPTY,
  CONNECTION_LOSS: zookeeper.Exception.CONNECTION_LOSS,
  SESSION_EXPIRED: zookeeper.Exception.SESSION_EXPIRED,
  OPERATION_TIMEOUT: zookeeper.Exception.OPERATION_TIMEOUT,
} as const;

const CONNECTION_CODES: ReadonlySet<number> = new Set([ZK.CONNECTION_LOSS, ZK.SESSION_EXPIRED, ZK.OPERATION_TIMEOUT]);

/** The server's refusals stay ZooKeeperCallErrors; not reaching it is the Registry's CONNECTIONLOSS. */
function wrap(err: unknown, path?: string): Error {
  if (err instanceof zookeeper.Exception) {
    if (CONNECTION_CODES.has(err.getCode())) return connectionLoss(`ZooKeeper ${err.getName()}${path === undefined ? '' : ` at ${path}`}`);
    return new ZooKeeperCallError(err.getCode(), err.getName(), path);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function connectionLoss(message: string): RegistryError {
  return new RegistryError('CONNECTIONLOSS', undefined, message);
}

export interface ZooKeeperConnectionOptions {
  readonly connectString: string;
  /** ZooKeeper client session timeout (the store's connection, not a Weir lease); default 10 s. A request unanswered for two thirds of it drops the connection. */
  readonly sessionTimeoutMs?: number;
  /** How long open waits for the first connection; default 10 s. */
  readonly connectTimeoutMs?: number;
}

/**
 * One ZooKeeper client session as promises. The client reconnects by itself after a lost
 * connection (re-registering its watches); when the server declares the session expired
 * the connection opens a new client and tells `onReconnect` listeners, as it does after
 * every reconnect, so they can re-arm watches and catch up. Requests are pipelined: issue
 * many before awaiting any. While the client is not connected requests fail at once with
 * CONNECTIONLOSS (as the Java client's do) instead of queueing behind the reconnect, and a
 * connection that stops answering is dropped (AnswerWatchdog).
 */
export class ZooKeeperConnection {
  private client: zookeeper.Client;
  private closed = false;
  private readonly reconnectListeners: ((newSession: boolean) => void)[] = [];
  private readonly watchdog: AnswerWatchdog;

  private constructor(
    private readonly options: ZooKeeperConnectionOptions,
    client: zookeeper.Client,
  ) {
    this.client = client;
    this.watchState(client);
    const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.watchdog = new AnswerWatchdog(
      Math.floor((sessionTimeoutMs * 2) / 3),
      Math.floor(sessionTimeoutMs / 3),
      () => isConnected(this.client),
      () => void this.call('/', (done) => this.client.exists('/', (err) => done(err, undefined))).catch(() => {}),
      () => socketOf(this.client)?.destroy(),
    );
  }

  static async open(options: ZooKeeperConnectionOptions): Promise<ZooKeeperConnection> {
    const client = await connectClient(options);
    return new ZooKeeperConnection(options, client);
  }

  /** `newSession`: the old session expired, so its watches are gone. */
  onReconnect(listener: (newSession: boolean) => void): void {
    this.reconnectListeners.push(listener);
  }

  /** Data, ZooKeeper's version and child count (ZooKeeper's stat, not Weir's). */
  getData(path: string, watcher?: () => void): Promise<{ data: Buffer; version: number; numChildren: number }> {
    const answer = (done: (err: unknown, value: { data: Buffer; version: number; numChildren: number }) => void) => (err: unknown, data: Buffer | undefined, stat: zookeeper.Stat | undefined) =>
      done(err, { data: data ?? Buffer.alloc(0), version: stat?.version ?? 0, numChildren: stat?.numChildren ?? 0 });
    return this.call(path, (done) => (watcher === undefined ? this.client.getData(path, answer(done)) : this.client.getData(path, () => watcher(), answer(done))));
  }

  getChildren(path: string): Promise<string[]> {
    return this.call(path, (done) => this.client.getChildren(path, (err, children) => done(err, children)));
  }

  create(path: string, data: Buffer, sequential = false): Promise<string> {
    const mode = sequential ? zookeeper.CreateMode.PERSISTENT_SEQUENTIAL : zookeeper.CreateMode.PERSISTENT;
    return this.call(path, (done) => this.client.create(path, data, mode, (err, created) => done(err, created)));
  }

  setData(path: string, data: Buffer, version: number): Promise<void> {
    return this.call(path, (done) => this.client.setData(path, data, version, (err) => done(err, undefined)));
  }

  delete(path: string, version: number): Promise<void> {
    return this.call(path, (done) => this.client.remove(path, version, (err) => done(err, undefined)));
  }

  /** Creates `path` and its missing ancestors (empty data); existing nodes are left alone. */
  mkdirp(path: string): Promise<void> {
    return this.call(path, (done) => this.client.mkdirp(path, (err) => done(err, undefined)));
  }

  /** One multi: all ops or none. Fails with the first failing op's error, its index in `failedIndex`. */
  multi(ops: readonly ZkOp[]): Promise<void> {
    this.ensureReady();
    const tx = this.client.transaction();
    for (const o of ops) {
      if (o.op === 'create') tx.create(o.path, o.data, zookeeper.CreateMode.PERSISTENT);
      else if (o.op === 'setData') tx.setData(o.path, o.data, o.version);
      else if (o.op === 'delete') tx.remove(o.path, o.version);
      else tx.check(o.path, o.version);
    }
    this.watchdog.sent();
    return new Promise((resolve, reject) => {
      tx.commit((err, results) => {
        this.watchdog.answered();
        if (!err) return resolve();
        const failedIndex = (results ?? []).findIndex((r: { err?: number }) => r.err !== undefined && r.err !== 0 && r.err !== zookeeper.Exception.RUNTIME_INCONSISTENCY);
        const wrapped = wrap(err, failedIndex >= 0 ? ops[failedIndex]?.path : undefined);
        reject(Object.assign(wrapped, { failedIndex }));
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watchdog.stop();
    await closeClient(this.client);
  }

  private call<T>(path: string, run: (done: (err: unknown, value: T) => void) => void): Promise<T> {
    try {
      this.ensureReady();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.watchdog.sent();
    return new Promise((resolve, reject) =>
      run((err, value) => {
        this.watchdog.answered();
        if (err) reject(wrap(err, path));
        else resolve(value);
      }),
    );
  }

  private ensureReady(): void {
    if (this.closed) throw connectionLoss('the ZooKeeper registry store is closed');
    if (!isConnected(this.client)) throw connectionLoss(`not connected to ZooKeeper at ${this.options.connectString} (${this.client.getState().name})`);
  }

  private watchState(client: zookeeper.Client): void {
    let connectedBefore = true;
    client.on('state', (state) => {
      if (this.closed || client !== this.client) return;
      if (state === zookeeper.State.SYNC_CONNECTED) {
        if (!connectedBefore) for (const listener of this.reconnectListeners) listener(false);
        connectedBefore = true;
      } else if (state === zookeeper.State.DISCONNECTED) {
        connectedBefore = false;
      } else if (state === zookeeper.State.EXPIRED) {
        void closeClient(client);
        void this.replaceClient();
      }
    });
  }

  /** The server dropped our session: open a new one, retrying until it connects or we close. */
  private async replaceClient(): Promise<void> {
    while (!this.closed) {
      try {
        const client = await connectClient(this.options);
        if (this.closed) return await closeClient(client);
        this.client = client;
        this.watchState(client);
        for (const listener of this.reconnectListeners) listener(true);
        return;
      } catch {
        // unreachable for now: keep trying (connectClient waited connectTimeoutMs)
      }
    }
  }
}

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

async function connectClient(options: ZooKeeperConnectionOptions): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(options.connectString, { sessionTimeout: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS, spinDelay: 200, retries: 0 });
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void closeClient(client);
      reject(new Error(`ZooKeeper at ${options.connectString} did not accept a connection within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

/** Closing waits this long for the server to end the session before dropping the socket. */
const CLOSE_SESSION_WAIT_MS = 2000;

/**
 * Closes a client for good. The library's close() only queues a close-session request and
 * keeps (re)connecting until it is answered, which never happens when no server listens;
 * so reconnecting is switched off, a connected client gets a moment to end its session
 * cleanly, and the socket is then destroyed.
 */
async function closeClient(client: zookeeper.Client): Promise<void> {
  const manager = managerOf(client);
  const connected = client.getState() === zookeeper.State.SYNC_CONNECTED;
  if (manager !== undefined) manager.connect = () => {};
  client.close();
  const socket = manager?.socket;
  if (socket === undefined || socket.destroyed) return;
  if (connected) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_SESSION_WAIT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  socket.destroy();
}

/** The library keeps its socket on an internal connection manager; reaching it is the only way to drop a silent connection. */
function managerOf(client: zookeeper.Client): { connect(): void; socket?: Socket } | undefined {
  return (client as unknown as { connectionManager?: { connect(): void; socket?: Socket } }).connectionManager;
}

function isConnected(client: zookeeper.Client): boolean {
  const state = client.getState();
  return state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.CONNECTED_READ_ONLY;
}

function socketOf(client: zookeeper.Client): Socket | undefined {
  return managerOf(client)?.socket;
}
