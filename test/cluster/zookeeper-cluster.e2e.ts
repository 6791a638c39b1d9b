import type { Producer } from 'kafkajs';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperServer } from '../../libs/registry-zookeeper/src/testing/zookeeper-server.js';
import { clusterKafkaClient } from '../support/cluster-kafkajs.js';
import { type ProcessCluster, waitFor } from '../support/cluster-processes.js';
import { kcatMissing } from '../support/kcat.js';
import { killLeaderAndRecover } from '../support/leader-failover.js';
import { processClusterFixture } from './cluster-fixture.js';
import { ACKED, SequencedProducer } from './sequenced-producer.js';
import { readTopic } from './topic-read-back.js';

// Three broker processes whose registry is one ZooKeeper 3.8 server (`npm run build` and
// the Debian package `zookeeper` first; kcat reads the topic back): the brokers register
// and agree on a controller through ZooKeeper, Kafka's znodes are really there (read with a
// ZooKeeper client of our own), and an idempotent kafkajs producer (acks=all) keeps writing
// while a partition leader and then the controller are SIGKILLed and restarted. Every
// acknowledged record is read back exactly once, in order.

const TOPIC = 'zk-sequenced';
const PARTITIONS = 3;
const RECORDS = 6000;
const BATCH = 60;

/** A one-shot ZooKeeper client on the cluster's server: reads, then closes. */
async function withZooKeeper<T>(connectString: string, body: (client: zookeeper.Client) => Promise<T>): Promise<T> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10_000, retries: 2 });
  let deadline: NodeJS.Timeout | undefined;
  const connected = new Promise<void>((resolve, reject) => {
    client.once('connected', () => resolve());
    deadline = setTimeout(() => reject(new Error(`no ZooKeeper session on ${connectString} within 15 s`)), 15_000);
  });
  client.connect();
  try {
    await connected;
    return await body(client);
  } finally {
    clearTimeout(deadline);
    client.close();
  }
}

function children(client: zookeeper.Client, path: string): Promise<string[]> {
  return new Promise((resolve, reject) => client.getChildren(path, (err, names) => (err ? reject(err) : resolve([...names].sort()))));
}

/**
 * What a znode holds for Kafka, as `zkCli.sh get` shows it: the store's one stat line
 * (`weir 1 <version> ...`, Weir's own zxids and times), then the data unchanged.
 */
function data(client: zookeeper.Client, path: string): Promise<string> {
  return new Promise((resolve, reject) => client.getData(path, (err, bytes) => {
    if (err) return reject(err);
    const text = bytes?.toString('utf8') ?? '';
    if (!text.startsWith('weir 1 ')) return reject(new Error(`${path} has no stat line: ${JSON.stringify(text.slice(0, 80))}`));
    resolve(text.slice(text.indexOf('\n') + 1));
  }));
}

/** The JSON a znode holds, as Kafka wrote it (ZkData.scala). */
async function znodeJson(cluster: ProcessCluster, path: string): Promise<Record<string, unknown>> {
  const { server, chroot } = cluster.zookeeper;
  const text = await withZooKeeper(server.connectString, (client) => data(client, `${chroot}${path}`));
  return JSON.parse(text) as Record<string, unknown>;
}

function brokerIds(cluster: ProcessCluster): Promise<string[]> {
  const { server, chroot } = cluster.zookeeper;
  return withZooKeeper(server.connectString, (client) => children(client, `${chroot}/brokers/ids`));
}

/** /controller_epoch: a decimal string. */
async function controllerEpoch(cluster: ProcessCluster): Promise<number> {
  const { server, chroot } = cluster.zookeeper;
  return Number(await withZooKeeper(server.connectString, (client) => data(client, `${chroot}/controller_epoch`)));
}

/** Sequence numbers that appear out of order or more than once in a partition, and acknowledged ones that are absent. */
function readBackProblems(partitions: Map<number, number[]>, states: Uint8Array): { outOfOrder: string[]; missing: number[] } {
  const outOfOrder: string[] = [];
  const seen = new Uint8Array(states.length);
  for (const [partition, seqs] of partitions) {
    for (let i = 0; i < seqs.length; i += 1) {
      const seq = seqs[i]!;
      if (i > 0 && seq <= seqs[i - 1]! && outOfOrder.length < 20) outOfOrder.push(`partition ${partition}: ${seq} after ${seqs[i - 1]}`);
      if (seq < seen.length) seen[seq] = 1;
    }
  }
  const missing: number[] = [];
  for (let seq = 0; seq < states.length; seq += 1) if (states[seq] === ACKED && seen[seq] === 0) missing.push(seq);
  return { outOfOrder, missing };
}

const missing = ZooKeeperServer.available() ? kcatMissing() : `ZooKeeper is not installed: the 3-broker cluster on ZooKeeper is SKIPPED (${ZooKeeperServer.unavailableReason()})`;
if (missing !== undefined) console.warn(`\n!!!!!!!!\n${missing}\n!!!!!!!!\n`);

(missing === undefined ? describe : describe.skip)('a 3-broker cluster on ZooKeeper', () => {
  const fixture = processClusterFixture({ name: 'zookeeper', brokers: 3, registry: 'zookeeper', producerRetry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 } });

  it('registers every broker under /brokers/ids and agrees on the controller written in /controller', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      const controller = await cluster.waitForController(15_000);
      expect(await brokerIds(cluster)).toEqual(['1', '2', '3']);
      const broker = await znodeJson(cluster, '/brokers/ids/2');
      expect(broker).toMatchObject({ version: 5, host: '127.0.0.1', port: cluster.broker(2).kafkaPort });
      expect(await znodeJson(cluster, '/controller')).toMatchObject({ version: 1, brokerid: controller });
    }), 60_000);

  it('keeps every acknowledged record, once and in order, through a SIGKILLed leader and a SIGKILLed controller', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      await cluster.restoreAll();
      await cluster.rest().createTopic(TOPIC, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
      const views = await cluster.waitUntilFullyReplicated(TOPIC, 30_000);

      // The topic and partition state znodes are Kafka's JSON and agree with what the brokers report.
      const assignment = await znodeJson(cluster, `/brokers/topics/${TOPIC}`);
      expect(assignment).toMatchObject({ version: 3, partitions: Object.fromEntries(views.map((v) => [String(v.partition), v.replicas])) });
      const state = await znodeJson(cluster, `/brokers/topics/${TOPIC}/partitions/0/state`);
      const view0 = views.find((v) => v.partition === 0)!;
      expect(state).toMatchObject({ version: 1, leader: view0.leader, isr: expect.arrayContaining(view0.replicas) as unknown });
      expect(Object.keys(state).sort()).toEqual(['controller_epoch', 'isr', 'leader', 'leader_epoch', 'version']);

      const producer: Producer = clusterKafkaClient(cluster.kafkaAddresses, { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 })
        .producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      const sequenced = new SequencedProducer(producer, TOPIC, RECORDS, PARTITIONS, BATCH, RECORDS / 3);
      const writing = sequenced.run();
      try {
        // A partition leader dies while records are being written; more are allowed as soon as it is down.
        await waitFor('a sixth of the records written', async () => sequenced.sent >= RECORDS / 6, 60_000, 20);
        let sentAtKill = 0;
        const sample = await killLeaderAndRecover(cluster, {
          topic: TOPIC, partition: 0, probe: fixture.producer, probeValue: 'probe', failoverWithinMs: 60_000, rejoinWithinMs: 60_000,
          onKilled: () => {
            sentAtKill = sequenced.sent;
            sequenced.allowUpTo(RECORDS / 2);
          },
        });
        console.log(`zookeeper cluster: leader ${sample.killed} of ${TOPIC}-0 killed at ${sentAtKill} records; leader ${sample.newLeader} after ${Math.round(sample.leaderMs)} ms, produce acknowledged after ${Math.round(sample.failoverMs)} ms, back in every ISR ${sample.rejoinMs === null ? 'NOT within 60 s' : `${Math.round(sample.rejoinMs)} ms after it was serving again`}`);
        expect(sample.rejoinMs).not.toBeNull();

        // Then the controller, while the producer writes the rest.
        const old = await cluster.waitForController(10_000);
        const oldEpoch = await controllerEpoch(cluster);
        sequenced.allowUpTo(RECORDS);
        await waitFor('the producer writing again', async () => sequenced.sent > RECORDS / 2, 60_000, 5);
        const killed = performance.now();
        await cluster.kill(old);
        const killedAt = sequenced.sent;
        const successor = await cluster.waitForController(cluster.sessionTimeoutMs + 15_000, (id) => id !== old);
        console.log(`zookeeper cluster: controller ${old} killed at ${killedAt} records; broker ${successor} controller after ${Math.round(performance.now() - killed)} ms`);
        expect(await znodeJson(cluster, '/controller')).toMatchObject({ brokerid: successor });
        expect(await controllerEpoch(cluster)).toBeGreaterThan(oldEpoch);
        // The dead broker's registration (an ephemeral of its lease) is gone from ZooKeeper, and is back after the restart.
        expect(await brokerIds(cluster)).toEqual(['1', '2', '3'].filter((id) => id !== String(old)));
        await cluster.restart(old);
        await waitFor(`broker ${old} registered in ZooKeeper again`, async () => (await brokerIds(cluster)).length === 3, 30_000);
        await cluster.waitUntilFullyReplicated(TOPIC, 60_000);
        await writing;
      } finally {
        sequenced.stop();
        await writing;
        await producer.disconnect();
      }

      expect(sequenced.acked).toBeGreaterThanOrEqual(0.9 * RECORDS);
      const contents = await readTopic(cluster.bootstrap, TOPIC, 60_000);
      expect(contents.foreign).toEqual([]);
      const problems = readBackProblems(contents.partitions, sequenced.states);
      console.log(`zookeeper cluster: ${sequenced.acked} of ${RECORDS} records acknowledged (${sequenced.failedSends} failed sends), ${contents.records - contents.probes} read back`);
      expect(problems).toEqual({ outOfOrder: [], missing: [] });
    }), 300_000);
});
