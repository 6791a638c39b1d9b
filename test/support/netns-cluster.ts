import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from './broker-process.js';
import { ClusterDatabase } from './cluster-database.js';
import { ClusterRest, type PartitionView, waitFor } from './cluster-rest.js';
import { TcpForwarder } from './netns-forwarder.js';
import { NetnsHosts } from './netns-hosts.js';

/** Every broker listens on this port of its own host (each namespace has its own ports). */
const KAFKA_PORT = 9092;
const REST_PORT = 8082;

export interface NetnsClusterOptions {
  readonly brokers: number;
  /** Lower-case letters, digits and _: names the temp dir and the database. */
  readonly name: string;
  /** WEIR_SESSION_TIMEOUT_MS and the rest of the brokers' settings. */
  readonly sessionTimeoutMs: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * N broker processes on N separate hosts (network namespaces, NetnsHosts) sharing one
 * registry in a fresh PostgreSQL database, reached through a forwarder on the bridge:
 * broker i runs in host i, listens and advertises on that host's address (Kafka 9092,
 * REST 8082), and reaches the database at `<bridge>:<forwarder port>`. The test process
 * and its clients sit in the root namespace and reach every host over the bridge.
 *
 * cut(id) takes broker id's link down (it loses the other brokers, the database and the
 * clients at once); heal(id) brings it back. close() kills the brokers, drops the
 * database, deletes the hosts and removes the temp dir (kept when a test failed inside
 * withLogsOnFailure). One test drives it at a time.
 */
export class NetnsCluster {
  private failed = false;
  private closed = false;
  private readonly cutOff = new Set<number>();

  private constructor(
    readonly dir: string,
    readonly hosts: NetnsHosts,
    readonly forwarder: TcpForwarder,
    readonly database: ClusterDatabase,
    readonly brokers: readonly BrokerProcess[],
    readonly readyWithinMs: number,
  ) {}

  static async start(options: NetnsClusterOptions): Promise<NetnsCluster> {
    const dir = mkdtempSync(join(tmpdir(), `weir-${options.name}-`));
    const hosts = NetnsHosts.create(options.brokers);
    const database = await ClusterDatabase.create(`weir_${options.name}`);
    const target = new URL(database.url);
    const forwarder = await TcpForwarder.start(hosts.bridgeAddress, { host: target.hostname, port: Number(target.port || 5432) });
    const brokerUrl = new URL(database.url);
    brokerUrl.hostname = forwarder.host;
    brokerUrl.port = String(forwarder.port);
    const brokers = Array.from({ length: options.brokers }, (_, i) => {
      const brokerId = i + 1;
      const dataDir = join(dir, `broker-${brokerId}`);
      mkdirSync(dataDir);
      const host = hosts.address(brokerId);
      return new BrokerProcess(brokerId, dataDir, KAFKA_PORT, join(dir, `broker-${brokerId}.log`), {
        WEIR_LOG_LEVEL: 'log',
        WEIR_AUTH: 'off',
        WEIR_BROKERS: '1',
        ...options.env,
        WEIR_SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs),
        NO_COLOR: '1',
        WEIR_BROKER_ID: String(brokerId),
        WEIR_DATA_DIR: dataDir,
        WEIR_HOST: host,
        WEIR_REST_PORT: String(REST_PORT),
        WEIR_KAFKA_PORT: String(KAFKA_PORT),
        DATABASE_URL: brokerUrl.toString(),
      }, { host, commandPrefix: hosts.exec(brokerId) });
    });
    const cluster = new NetnsCluster(dir, hosts, forwarder, database, brokers, 2 * options.sessionTimeoutMs + 30_000);
    try {
      // The first start applies the registry's migrations; the others start once it is up.
      await brokers[0]!.start(cluster.readyWithinMs);
      await Promise.all(brokers.slice(1).map((b) => b.start(cluster.readyWithinMs)));
      await cluster.waitUntilRegistered(brokers.map((b) => b.brokerId), cluster.readyWithinMs);
      return cluster;
    } catch (err) {
      const tails = cluster.logTails(40);
      cluster.failed = true;
      await cluster.close();
      throw new Error(`netns cluster did not start: ${(err as Error).message}\n${tails}`, { cause: err });
    }
  }

  broker(brokerId: number): BrokerProcess {
    const found = this.brokers.find((b) => b.brokerId === brokerId);
    if (found === undefined) throw new Error(`no broker ${brokerId} in this cluster`);
    return found;
  }

  /** Every broker's Kafka address, as kafkajs takes them. */
  get kafkaAddresses(): string[] {
    return this.brokers.map((b) => b.bootstrap);
  }

  /** Comma-separated, as kcat takes them. */
  get bootstrap(): string {
    return this.kafkaAddresses.join(',');
  }

  /** Brokers running and not cut off: the ones a test can ask. */
  reachable(): BrokerProcess[] {
    return this.brokers.filter((b) => b.state === 'running' && !this.cutOff.has(b.brokerId));
  }

  rest(brokerId?: number): ClusterRest {
    const broker = brokerId !== undefined ? this.broker(brokerId) : this.reachable()[0];
    if (broker === undefined) throw new Error('no reachable broker to ask');
    return new ClusterRest(broker.baseUrl);
  }

  cut(brokerId: number): void {
    this.hosts.cut(brokerId);
    this.cutOff.add(brokerId);
  }

  heal(brokerId: number): void {
    this.hosts.heal(brokerId);
    this.cutOff.delete(brokerId);
  }

  /** Waits until every reachable broker lists exactly `brokerIds` as registered. */
  async waitUntilRegistered(brokerIds: readonly number[], timeoutMs: number): Promise<void> {
    const want = [...brokerIds].sort((a, b) => a - b).join(',');
    await waitFor(`brokers ${want} registered, as every reachable broker sees it`, async () => {
      for (const b of this.reachable()) if ((await new ClusterRest(b.baseUrl).brokers()).join(',') !== want) return false;
      return true;
    }, timeoutMs);
  }

  /** The controller every reachable broker names, once they agree and `accept` it. */
  async waitForController(timeoutMs: number, accept: (id: number) => boolean = () => true): Promise<number> {
    return waitFor('an agreed controller', async () => {
      const seen = new Set<number>();
      for (const b of this.reachable()) seen.add(await new ClusterRest(b.baseUrl).controller());
      const id = seen.size === 1 ? [...seen][0]! : -1;
      return id >= 0 && accept(id) ? id : undefined;
    }, timeoutMs, 50);
  }

  /** Waits until every partition of `topic`, as a reachable broker reports it, satisfies `accept`. */
  async waitForPartitions(topic: string, what: string, accept: (view: PartitionView) => boolean, timeoutMs: number): Promise<PartitionView[]> {
    let last: PartitionView[] = [];
    try {
      return await waitFor(`${topic}: ${what}`, async () => {
        last = await this.rest().partitions(topic);
        return last.length > 0 && last.every(accept) ? last : undefined;
      }, timeoutMs, 50);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`, { cause: err });
    }
  }

  /** A preferred leader election for every partition of `topic` (REST, through a reachable broker). */
  async electPreferredLeaders(topic: string): Promise<void> {
    const rest = this.rest();
    const res = await fetch(`${rest.baseUrl}/v3/clusters/${await rest.clusterId()}/topics/${topic}/partitions/-/leader-election`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) throw new Error(`preferred election of ${topic} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
  }

  logTails(lines = 40): string {
    return this.brokers.map((b) => `---- broker ${b.brokerId} (${b.state}${this.cutOff.has(b.brokerId) ? ', cut off' : ''}) ${b.logFile}, last ${lines} lines:\n${b.logTail(lines)}`).join('\n');
  }

  /** Runs a test body; a failure gets the brokers' log tails appended and keeps the dir. */
  withLogsOnFailure<T>(body: () => Promise<T>): Promise<T> {
    return body().catch((err: unknown) => {
      this.failed = true;
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n\ncluster dir (kept): ${this.dir}\n${this.logTails()}`, { cause: err });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await Promise.all(this.brokers.map((b) => b.kill()));
      await this.forwarder.close();
      await this.database.drop();
    } finally {
      this.hosts.destroy();
      if (this.failed) console.error(`netns cluster dir kept: ${this.dir}`);
      else rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
