import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from './broker-process.js';
import { ClusterDatabase } from './cluster-database.js';
import { ClusterRest, type PartitionView, waitFor } from './cluster-rest.js';
import { ZooKeeperServer, type ZooKeeperServerHandle } from '../../libs/registry-zookeeper/src/testing/zookeeper-server.js';

export { BrokerProcess } from './broker-process.js';
export { ClusterDatabase, type StoredPartitionState } from './cluster-database.js';
export { ClusterRest, type NewTopicRequest, type PartitionView, waitFor } from './cluster-rest.js';

/** The session timeout the cluster suites run with unless told otherwise: failover in seconds, not Kafka's 18. */
export const TEST_SESSION_TIMEOUT_MS = 3000;

export interface ProcessClusterOptions {
  /** Broker ids are 1..brokers. */
  readonly brokers: number;
  /** Lower-case letters, digits and _: names the temp dir and the database (or ZooKeeper chroot). */
  readonly name: string;
  /**
   * Where the brokers' registry lives: a fresh PostgreSQL database `weir_<name>` (default),
   * or a ZooKeeper server started for the cluster, the registry under the chroot
   * `/weir_<name>` (each broker keeps its security tables in PGlite in its data dir).
   */
  readonly registry?: 'postgresql' | 'zookeeper';
  /**
   * Extra environment for every broker (WEIR_REPLICA_LAG_TIME_MAX_MS,
   * WEIR_DEFAULT_REPLICATION_FACTOR, ...). WEIR_SESSION_TIMEOUT_MS defaults to
   * TEST_SESSION_TIMEOUT_MS; the harness sets id, dirs, host, ports and DATABASE_URL or
   * WEIR_REGISTRY.
   * WEIR_LOG_LEVEL may be raised (debug, verbose) but not lowered below `log`: readiness
   * is read from main.ts's ready line.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** How long a (re)start may take; default 2 × session timeout + 30 s (a restart after SIGKILL waits out the old session). */
  readonly readyWithinMs?: number;
  /** Keep the temp dir (data, logs) after close even when nothing failed. */
  readonly keepDir?: boolean;
}

/**
 * N brokers as separate OS processes sharing one registry in a fresh PostgreSQL database
 * (or on a ZooKeeper server of their own): the cluster as an operator runs it, so that
 * SIGKILL, SIGSTOP and restarts are real.
 *
 * Layout under one temp dir: `broker-<id>/` (WEIR_DATA_DIR) and `broker-<id>.log`
 * (stdout and stderr of every start), and `zookeeper/` (its data and zookeeper.log) on
 * ZooKeeper. Kafka ports are picked free once and kept across restarts; REST ports are the
 * OS's choice at each start. Views of the cluster go through REST of a running broker
 * (`rest()`), or the registry database (`database`, PostgreSQL only).
 *
 * `close()` kills every process group, drops the database (stops ZooKeeper) and removes
 * the dir, unless a test failed inside `withLogsOnFailure` (then the dir stays and its
 * path is printed). A process exit hook kills groups left behind by a crashed run. One
 * test drives a cluster at a time.
 */
export class ProcessCluster {
  private failed = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly registry: ClusterRegistry,
    readonly brokers: readonly BrokerProcess[],
    readonly sessionTimeoutMs: number,
    readonly readyWithinMs: number,
    private readonly keepDir: boolean,
  ) {}

  /** The registry's PostgreSQL database; a cluster on ZooKeeper has none. */
  get database(): ClusterDatabase {
    if (this.registry.database === undefined) throw new Error('cluster.database: this cluster\'s registry is on ZooKeeper (see cluster.zookeeper), not in PostgreSQL');
    return this.registry.database;
  }

  /** The ZooKeeper server and the chroot holding the registry, on a cluster started with registry: 'zookeeper'. */
  get zookeeper(): { readonly server: ZooKeeperServerHandle; readonly chroot: string } {
    if (this.registry.zookeeper === undefined) throw new Error('cluster.zookeeper: this cluster\'s registry is in PostgreSQL (see cluster.database)');
    return this.registry.zookeeper;
  }

  /** Starts every broker (in parallel) and waits until each one sees all of them registered. */
  static async start(options: ProcessClusterOptions): Promise<ProcessCluster> {
    const dir = mkdtempSync(join(tmpdir(), `weir-${options.name}-`));
    const sessionTimeoutMs = Number(options.env?.WEIR_SESSION_TIMEOUT_MS ?? TEST_SESSION_TIMEOUT_MS);
    const readyWithinMs = options.readyWithinMs ?? 2 * sessionTimeoutMs + 30_000;
    let registry: ClusterRegistry | undefined;
    let cluster: ProcessCluster | undefined;
    try {
      registry = await ClusterRegistry.create(options.registry ?? 'postgresql', options.name, dir);
      const registryEnv = registry.env;
      const ports = await freePorts(options.brokers);
      const brokers = ports.map((kafkaPort, i) => {
        const brokerId = i + 1;
        const dataDir = join(dir, `broker-${brokerId}`);
        mkdirSync(dataDir);
        return new BrokerProcess(brokerId, dataDir, kafkaPort, join(dir, `broker-${brokerId}.log`), {
          WEIR_LOG_LEVEL: 'log',
          WEIR_AUTH: 'off',
          WEIR_BROKERS: '1',
          WEIR_SESSION_TIMEOUT_MS: String(sessionTimeoutMs),
          ...options.env,
          NO_COLOR: '1',
          WEIR_BROKER_ID: String(brokerId),
          WEIR_DATA_DIR: dataDir,
          WEIR_HOST: '127.0.0.1',
          WEIR_REST_PORT: '0',
          WEIR_KAFKA_PORT: String(kafkaPort),
          ...registryEnv,
        });
      });
      cluster = new ProcessCluster(dir, registry, brokers, sessionTimeoutMs, readyWithinMs, options.keepDir === true);
      // The first start applies the registry's migrations; the others start once it is up.
      await brokers[0]!.start(readyWithinMs);
      await Promise.all(brokers.slice(1).map((b) => b.start(readyWithinMs)));
      await cluster.waitUntilRegistered(brokers.map((b) => b.brokerId));
      return cluster;
    } catch (err) {
      const tails = cluster?.logTails(40) ?? '';
      if (cluster !== undefined) {
        cluster.failed = true;
        await cluster.close();
      } else {
        await registry?.release().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      }
      throw new Error(`cluster did not start: ${(err as Error).message}\n${tails}`, { cause: err });
    }
  }

  broker(brokerId: number): BrokerProcess {
    const found = this.brokers.find((b) => b.brokerId === brokerId);
    if (found === undefined) throw new Error(`no broker ${brokerId} in this cluster`);
    return found;
  }

  /** Every broker's Kafka address (stable across restarts), comma-separated as librdkafka and kcat take it. */
  get bootstrap(): string {
    return this.kafkaAddresses.join(',');
  }

  /** Every broker's Kafka address, as kafkajs takes them. */
  get kafkaAddresses(): string[] {
    return this.brokers.map((b) => b.bootstrap);
  }

  running(): BrokerProcess[] {
    return this.brokers.filter((b) => b.state === 'running');
  }

  /** REST of one broker, or of the first running one that is not in `avoid`. */
  rest(brokerId?: number, avoid: readonly number[] = []): ClusterRest {
    const broker = brokerId !== undefined ? this.broker(brokerId) : this.running().find((b) => !avoid.includes(b.brokerId));
    if (broker === undefined) throw new Error('no running broker to ask');
    return new ClusterRest(broker.baseUrl);
  }

  kill(brokerId: number): Promise<void> {
    return this.broker(brokerId).kill();
  }

  stop(brokerId: number): Promise<void> {
    return this.broker(brokerId).stop();
  }

  pause(brokerId: number): void {
    this.broker(brokerId).pause();
  }

  resume(brokerId: number): void {
    this.broker(brokerId).resume();
  }

  /** Starts a dead broker again (same id, data dir, Kafka port); SIGKILLs it first if it still runs. */
  async restart(brokerId: number): Promise<void> {
    const broker = this.broker(brokerId);
    await broker.kill();
    await broker.start(this.readyWithinMs);
  }

  /**
   * Brings the whole cluster back: resumes paused brokers, restarts dead ones, and waits
   * until every broker is registered. A test that needs all brokers starts with it, so an
   * earlier test's failure half-way does not cascade.
   */
  async restoreAll(): Promise<void> {
    for (const b of this.brokers) if (b.state === 'paused') b.resume();
    await Promise.all(this.brokers.filter((b) => b.state === 'dead').map((b) => b.start(this.readyWithinMs)));
    await this.waitUntilRegistered(this.brokers.map((b) => b.brokerId));
  }

  async waitUntilRegistered(brokerIds: readonly number[], timeoutMs = this.readyWithinMs): Promise<void> {
    const want = [...brokerIds].sort((a, b) => a - b).join(',');
    await waitFor(
      `brokers ${want} registered, as every running broker sees it`,
      async () => {
        for (const b of this.running()) {
          const seen = await new ClusterRest(b.baseUrl).brokers();
          if (!brokerIds.every((id) => seen.includes(id))) return false;
        }
        return true;
      },
      timeoutMs,
    );
  }

  /** The controller every running broker agrees on (-1 when none yet or they disagree). */
  async controller(): Promise<number> {
    const seen = new Set<number>();
    for (const b of this.running()) seen.add(await new ClusterRest(b.baseUrl).controller());
    return seen.size === 1 ? [...seen][0]! : -1;
  }

  async waitForController(timeoutMs: number, accept: (id: number) => boolean = () => true): Promise<number> {
    return waitFor('an agreed controller', async () => {
      const id = await this.controller();
      return id >= 0 && accept(id) ? id : undefined;
    }, timeoutMs, 50);
  }

  partition(topic: string, partition: number, avoid: readonly number[] = []): Promise<PartitionView> {
    return this.rest(undefined, avoid).partition(topic, partition);
  }

  /** Waits until a partition satisfies `accept` as a running broker reports it; returns that view. */
  async waitForPartition(topic: string, partition: number, what: string, accept: (view: PartitionView) => boolean, timeoutMs: number): Promise<PartitionView> {
    let last: PartitionView | undefined;
    try {
      return await waitFor(`${topic}-${partition}: ${what}`, async () => {
        last = await this.partition(topic, partition);
        return accept(last) ? last : undefined;
      }, timeoutMs, 50);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`, { cause: err });
    }
  }

  /** Waits until every partition of `topic` has a leader and its full replica list in the ISR. */
  async waitUntilFullyReplicated(topic: string, timeoutMs: number): Promise<PartitionView[]> {
    return waitFor(`every partition of ${topic} led and fully in sync`, async () => {
      const views = await this.rest().partitions(topic);
      return views.length > 0 && views.every((v) => v.leader >= 0 && v.isr.length === v.replicas.length) ? views : undefined;
    }, timeoutMs);
  }

  /** Each broker's log tail, headed by its id and state. */
  logTails(lines = 40): string {
    return this.brokers.map((b) => `---- broker ${b.brokerId} (${b.state}) ${b.logFile}, last ${lines} lines:\n${b.logTail(lines)}`).join('\n');
  }

  /**
   * Runs a test body; if it throws, the brokers' log tails are appended to the error (so
   * the test report shows them) and the cluster dir is kept for a look.
   */
  async withLogsOnFailure<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      this.failed = true;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${message}\n\ncluster dir (kept): ${this.dir}\n${this.logTails()}`, { cause: err });
    }
  }

  /** Kills every broker, drops the database (stops ZooKeeper), removes the dir unless something failed or keepDir. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.brokers.map((b) => b.kill()));
    try {
      await this.registry.release();
    } finally {
      if (this.failed || this.keepDir) console.error(`cluster dir kept: ${this.dir}`);
      else rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** The registry a cluster's brokers share, and the environment that points them at it. */
class ClusterRegistry {
  private constructor(
    readonly env: Readonly<Record<string, string>>,
    readonly database: ClusterDatabase | undefined,
    readonly zookeeper: { readonly server: ZooKeeperServerHandle; readonly chroot: string } | undefined,
  ) {}

  static async create(kind: 'postgresql' | 'zookeeper', name: string, dir: string): Promise<ClusterRegistry> {
    if (kind === 'postgresql') {
      const database = await ClusterDatabase.create(`weir_${name}`);
      return new ClusterRegistry({ DATABASE_URL: database.url }, database, undefined);
    }
    // Kept with the cluster dir when a test fails: zookeeper.log is there.
    const server = await ZooKeeperServer.start({ dir: join(dir, 'zookeeper') });
    const chroot = `/weir_${name}`;
    return new ClusterRegistry({ WEIR_REGISTRY: `zookeeper://${server.connectString}${chroot}` }, undefined, { server, chroot });
  }

  /** Drops the database or stops the ZooKeeper server. */
  async release(): Promise<void> {
    await this.database?.drop();
    await this.zookeeper?.server.stop();
  }
}

/**
 * Ports below Linux's ephemeral range (32768-60999 by default): a port taken from that
 * range could be handed to some outgoing connection while its broker is down, and the
 * restart would then fail to bind it.
 */
const STABLE_PORTS = { from: 20_000, to: 32_000 } as const;

/** `count` distinct ports outside the ephemeral range, free right now (each checked by binding it). */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count; attempts += 1) {
    if (attempts > 1000) throw new Error(`no ${count} free ports in ${STABLE_PORTS.from}-${STABLE_PORTS.to}`);
    const port = STABLE_PORTS.from + Math.floor(Math.random() * (STABLE_PORTS.to - STABLE_PORTS.from));
    if (!ports.includes(port) && (await canBind(port))) ports.push(port);
  }
  return ports;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
