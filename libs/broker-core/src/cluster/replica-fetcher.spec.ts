import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../broker/broker.js';
import { KafkaListener } from '../kafka-server/kafka-listener.js';
import { LogFollowerReplica } from '../kafka-client/testing/log-follower-replica.js';
import { until } from '../kafka-client/testing/wait.js';
import { PartitionLog } from '../log/partition/partition-log.js';
import { RecordingLogger } from '../log/testing/log-fixtures.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { BrokerIdZNode, KafkaPaths, PartitionStateZNode } from '../registry/kafka-znodes.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { SystemTime } from '../time.js';
import { SystemTimer } from '../timer/system-timer.js';
import { ReplicaFetcherManager } from './replica-fetcher-manager.js';

const TOPIC = 'replicated';
const LEADER = 1;
const FOLLOWER = 2;
const SEGMENT = '00000000000000000000.log';

/**
 * A real broker (id 1) with its Kafka listener, restartable on the same data dir and
 * registry store (on a new port). Broker 2 is registered by hand, so that topics can
 * name it as a replica: this test's fetcher plays broker 2.
 */
class RealLeader {
  readonly store = new InMemoryRegistryStore();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'weir-fetch-leader-'));
  readonly time = new SystemTime();
  readonly timer = new SystemTimer();
  registry!: Registry;
  broker!: Broker;
  listener!: KafkaListener;

  async start(): Promise<void> {
    this.registry = await Registry.open({ store: this.store, time: this.time, scheduler: this.timer, onError: () => undefined });
    this.listener = await KafkaListener.bind({ host: '127.0.0.1', port: 0 });
    this.broker = await Broker.start({
      brokerId: LEADER, dataDir: this.dataDir, registry: this.registry, timer: this.timer, time: this.time,
      advertisedHost: '127.0.0.1', advertisedPort: this.listener.port, logger: SILENT_STORAGE_LOGGER,
      defaults: { controlledShutdownEnable: false, replicaFetchBackoffMs: 60_000 },
    });
    this.listener.serve(this.broker);
    if (this.registry.exists(KafkaPaths.brokerId(FOLLOWER)) === null) {
      await this.registry.create(KafkaPaths.brokerId(FOLLOWER), BrokerIdZNode.encode({
        host: '127.0.0.1', port: 1, endpoints: ['PLAINTEXT://127.0.0.1:1'], listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: 0,
      }));
    }
  }

  async stop(): Promise<void> {
    await this.listener.close();
    await this.broker.close();
    await this.registry.close();
  }

  async close(): Promise<void> {
    await this.stop();
    this.timer.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Partitions of `topic` this broker leads, with their leader epochs (from the registry). */
  ledPartitions(topic: string, partitions: number): { partition: number; leaderEpoch: number }[] {
    const led = [];
    for (let partition = 0; partition < partitions; partition++) {
      const state = PartitionStateZNode.decode(this.registry.getData(KafkaPaths.partitionState(topic, partition)).data);
      if (state.leader === LEADER) led.push({ partition, leaderEpoch: state.leaderEpoch });
    }
    return led;
  }

  segmentBytes(topic: string, partition: number): Buffer {
    return readFileSync(join(this.dataDir, 'logs', `${topic}-${partition}`, SEGMENT));
  }

  /** Offsets produced per partition: the leader's log end offset. */
  readonly produced = new Map<number, bigint>();

  async produce(partition: number, count: number, tag: string): Promise<void> {
    await this.broker.produce(TOPIC, Array.from({ length: count }, (_, i) => ({ partition, key: null, value: Buffer.from(`${tag}-${i}`) })), { acks: 1 });
    this.produced.set(partition, this.logEndOffset(partition) + BigInt(count));
  }

  logEndOffset(partition: number): bigint {
    return this.produced.get(partition) ?? 0n;
  }
}

/**
 * The fetcher (as broker 2) against a real broker and its listener: records produced to
 * the leader appear in the follower's log byte for byte and its HW follows; a partition
 * removed while a long-poll is parked at the leader is left alone when the answer comes;
 * the fetcher rides out a leader restart.
 */
describe('ReplicaFetcher against a real leader', () => {
  let leader: RealLeader;
  let timer: SystemTimer;
  let manager: ReplicaFetcherManager;
  let followerDir: string;
  let logs: PartitionLog[];
  let logger: RecordingLogger;
  let led: { partition: number; leaderEpoch: number }[];

  beforeEach(async () => {
    leader = new RealLeader();
    await leader.start();
    await leader.broker.createTopic({ name: TOPIC, partitions: 4, replicationFactor: 2 });
    led = leader.ledPartitions(TOPIC, 4);
    timer = new SystemTimer();
    followerDir = mkdtempSync(join(tmpdir(), 'weir-fetch-follower-'));
    logs = [];
    logger = new RecordingLogger();
    manager = startManager(500);
  });

  /** The follower's fetchers; the leader's port is looked up at each connection attempt. */
  function startManager(replicaFetchWaitMaxMs: number): ReplicaFetcherManager {
    return new ReplicaFetcherManager({
      brokerId: FOLLOWER, timer, logger, resolveBroker: (id) => (id === LEADER ? { host: '127.0.0.1', port: leader.listener.port } : undefined),
      replicaFetchWaitMaxMs, replicaFetchMaxBytes: 1 << 20, replicaFetchBackoffMs: 50,
    });
  }
  afterEach(async () => {
    await manager.close();
    for (const log of logs) await log.close();
    timer.close();
    await leader.close();
    rmSync(followerDir, { recursive: true, force: true });
  });

  function follower(partition: number, leaderEpoch: number): LogFollowerReplica {
    const log = PartitionLog.open(join(followerDir, `${TOPIC}-${partition}`));
    logs.push(log);
    return new LogFollowerReplica(TOPIC, partition, log, leaderEpoch);
  }

  const caughtUp = (r: LogFollowerReplica): boolean => r.logEndOffset === leader.logEndOffset(r.partition) && r.highWatermark === r.logEndOffset;

  it('copies what the leader stores, byte for byte, and follows its high watermark', async () => {
    expect(led).toHaveLength(2);
    const replicas = led.map(({ partition, leaderEpoch }) => follower(partition, leaderEpoch));
    for (const { partition } of led) {
      for (let batch = 0; batch < 5; batch++) await leader.produce(partition, 3 + partition, `before-${batch}`);
    }
    manager.addPartitions(LEADER, replicas);
    await until(() => replicas.every(caughtUp), 'followers caught up');
    for (const { partition } of led) await leader.produce(partition, 7, 'while-polling');
    await until(() => replicas.every(caughtUp), 'followers caught up again');
    for (const r of replicas) {
      expect(Buffer.compare(readFileSync(join(followerDir, `${TOPIC}-${r.partition}`, SEGMENT)), leader.segmentBytes(TOPIC, r.partition))).toBe(0);
    }
    const stats = manager.fetcherStats()[0]!;
    expect(stats.bytesFetched).toBe(led.reduce((sum, { partition }) => sum + leader.segmentBytes(TOPIC, partition).length, 0));
    expect(stats.partitions.every((p) => p.phase === 'fetching' && p.lastError === undefined)).toBe(true);
    expect(logger.errors).toEqual([]);
  });

  it('drops the answer to a parked long-poll for a partition removed meanwhile, and carries on with the others', async () => {
    await manager.close();
    manager = startManager(10_000);
    const [kept, removed] = led.map(({ partition, leaderEpoch }) => follower(partition, leaderEpoch));
    await leader.produce(kept!.partition, 2, 'first');
    manager.addPartitions(LEADER, [kept!, removed!]);
    await until(() => kept!.logEndOffset === 2n, 'caught up');
    // The fetch after the one that brought the data parks at the leader: nothing more to read.
    await until(() => manager.fetcherStats()[0]!.fetchRequests === 2 && manager.fetcherStats()[0]!.requestInFlight, 'a long-poll parked at the leader');
    const parkedAt = Date.now();
    manager.removePartitions([{ topic: TOPIC, partition: removed!.partition }]);
    removed!.detach();
    await leader.produce(removed!.partition, 4, 'after-removal');
    await until(() => manager.fetcherStats()[0]!.fetchRequests === 3, 'the parked fetch answered and the next one sent');
    // Answered because the removed partition got data, long before max_wait_ms.
    expect(Date.now() - parkedAt).toBeLessThan(5000);
    await leader.produce(kept!.partition, 3, 'second');
    await until(() => kept!.logEndOffset === 5n, 'kept partition caught up');
    expect(manager.fetcherStats()[0]!.discardedResults).toBe(1);
    expect(removed!.callsAfterDetach).toEqual([]);
    expect(removed!.logEndOffset).toBe(0n);
    expect(manager.fetcherStats()[0]!.partitions.map((p) => p.partition)).toEqual([kept!.partition]);
  });

  it('rides out a leader restart: reconnects where the leader now listens and carries on', async () => {
    const replicas = led.map(({ partition, leaderEpoch }) => follower(partition, leaderEpoch));
    for (const { partition } of led) await leader.produce(partition, 5, 'before');
    manager.addPartitions(LEADER, replicas);
    await until(() => replicas.every(caughtUp), 'caught up before the restart');
    const portBefore = leader.listener.port;
    await leader.stop();
    await until(() => manager.fetcherStats()[0]!.lastError !== undefined, 'the fetcher saw the leader go');
    await leader.start();
    expect(leader.listener.port).not.toBe(portBefore);
    // As the broker would on a leadership change: a new epoch means the partition is added again.
    const now = leader.ledPartitions(TOPIC, 4);
    for (const r of replicas) {
      const epoch = now.find((p) => p.partition === r.partition)!.leaderEpoch;
      if (epoch !== r.leaderEpoch) {
        r.leaderEpoch = epoch;
        manager.addPartitions(LEADER, [r]);
      }
    }
    for (const { partition } of led) await leader.produce(partition, 6, 'after');
    await until(() => replicas.every(caughtUp), 'caught up after the restart');
    for (const r of replicas) {
      expect(Buffer.compare(readFileSync(join(followerDir, `${TOPIC}-${r.partition}`, SEGMENT)), leader.segmentBytes(TOPIC, r.partition))).toBe(0);
    }
    expect(manager.fetcherStats()[0]!.lastError).toMatch(/^disconnected: |^timeout: /);
  });
});
