import { type ProcessCluster, waitFor } from '../support/cluster-processes.js';
import { clusterKafkaClient } from '../support/cluster-kafkajs.js';
import { kcatMissing, spawnKcat } from '../support/kcat.js';
import { killLeaderAndRecover, PROBE_KEY } from '../support/leader-failover.js';
import { processClusterFixture } from './cluster-fixture.js';
import { keyOf, partitionOf, sendPerPartition } from './sequenced-producer.js';
import { sequenceOf, streamTopic, type TopicStream } from './topic-read-back.js';

// Real clients across a leader change (`npm run build`, PostgreSQL and kcat first): a
// producer keeps writing while the leader of a partition is SIGKILLed (and restarted), and
// a kcat consumer that was following the topic all along sees every record the producer
// had acknowledged. Producers: kafkajs (acks=all, retries) and kcat (librdkafka, acks=all;
// exit 0 means every message was delivered). kafkajs cannot consume here: its consumer
// needs consumer groups, which the broker does not serve yet.

const PARTITIONS = 3;
const KAFKAJS_RECORDS = 6000;
const KCAT_RECORDS = 20_000;
const KCAT_LINES_PER_TICK = 100;
/** kcat's input is fed at about 5,000 lines/s, so the stream spans the failover. */
const KCAT_TICK_MS = 20;

/** Follows a topic with kcat and marks each sequence number seen. */
function follow(cluster: ProcessCluster, topic: string, records: number): { seen: Uint8Array; count: () => number; stream: TopicStream } {
  const seen = new Uint8Array(records);
  let distinct = 0;
  const stream = streamTopic(cluster.bootstrap, topic, false, (_partition, key, value) => {
    const seq = sequenceOf(value);
    if (key === PROBE_KEY || seq === undefined || seq >= records) return;
    if (seen[seq] === 0) distinct += 1;
    seen[seq] = 1;
  });
  return { seen, count: () => distinct, stream };
}

/** Waits until `done` holds, failing early (with kcat's words) if the consumer died. */
function consumerCatchesUp(stream: TopicStream, what: string, done: () => boolean): Promise<boolean> {
  return waitFor(what, async () => {
    const failure = stream.failure();
    if (failure !== undefined) throw new Error(failure);
    return done();
  }, 60_000);
}

function unseen(seen: Uint8Array, acked: (seq: number) => boolean): number[] {
  const missing: number[] = [];
  for (let seq = 0; seq < seen.length; seq += 1) if (acked(seq) && seen[seq] === 0) missing.push(seq);
  return missing;
}

const missingKcat = kcatMissing();
if (missingKcat !== undefined) console.warn(missingKcat);

(missingKcat === undefined ? describe : describe.skip)('clients across a leader change', () => {
  const fixture = processClusterFixture({ name: 'clients', brokers: 3, producerRetry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 } });

  async function createTopic(topic: string): Promise<void> {
    await fixture.cluster.restoreAll();
    await fixture.cluster.rest().createTopic(topic, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    await fixture.cluster.waitUntilFullyReplicated(topic, 30_000);
  }

  // The fixture's producer writes the probe records of the failover measurement.
  const killLeaderOf = (topic: string) =>
    killLeaderAndRecover(fixture.cluster, { topic, partition: 0, probe: fixture.producer, probeValue: 'probe', failoverWithinMs: 60_000, rejoinWithinMs: 60_000 });

  it('kafkajs produces through the kill; the kcat consumer sees every acknowledged record', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      const topic = 'clients-kafkajs';
      await createTopic(topic);
      const consumer = follow(cluster, topic, KAFKAJS_RECORDS);
      const producer = clusterKafkaClient(cluster.kafkaAddresses, { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 }).producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      const acked = new Uint8Array(KAFKAJS_RECORDS);
      let sent = 0;
      const writing = (async () => {
        for (let first = 0; first < KAFKAJS_RECORDS; first += 100) {
          const messages = Array.from({ length: 100 }, (_, i) => ({ key: keyOf(first + i), value: String(first + i), partition: partitionOf(first + i, PARTITIONS) }));
          await sendPerPartition(producer, topic, messages, (group, ok) => {
            if (ok) for (const m of group) acked[Number(m.value)] = 1;
          });
          sent = first + 100;
        }
      })();
      try {
        await waitFor('a third of the records written', async () => sent >= KAFKAJS_RECORDS / 3, 60_000, 20);
        const sample = await killLeaderOf(topic);
        console.log(`kafkajs: broker ${sample.killed} killed mid-stream at ${sent} records; produce acknowledged again after ${Math.round(sample.failoverMs)} ms`);
        await writing;
      } finally {
        await writing;
        await producer.disconnect();
      }
      const ackedCount = acked.reduce((n, a) => n + a, 0);
      expect(ackedCount).toBeGreaterThanOrEqual(0.9 * KAFKAJS_RECORDS);
      try {
        await consumerCatchesUp(consumer.stream, 'the consumer to see every acknowledged record', () => unseen(consumer.seen, (s) => acked[s] === 1).length === 0);
      } finally {
        await consumer.stream.stop();
      }
      expect(unseen(consumer.seen, (s) => acked[s] === 1)).toEqual([]);
    }), 240_000);

  it('kcat produces through the kill (all delivered); the kcat consumer sees every record', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      const topic = 'clients-kcat';
      await createTopic(topic);
      const consumer = follow(cluster, topic, KCAT_RECORDS);
      const producer = spawnKcat(['-b', cluster.bootstrap, '-P', '-t', topic, '-K', ':', '-q', '-X', 'acks=all', '-X', 'linger.ms=5', '-X', 'message.timeout.ms=120000']);
      let stderr = '';
      producer.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      producer.stdout.resume();
      producer.stdin.on('error', () => undefined);
      const exited = new Promise<number | null>((resolve) => producer.on('close', (code) => resolve(code)));
      let written = 0;
      const feeding = (async () => {
        while (written < KCAT_RECORDS) {
          let lines = '';
          for (let i = 0; i < KCAT_LINES_PER_TICK && written < KCAT_RECORDS; i += 1, written += 1) lines += `${keyOf(written)}:${written}\n`;
          if (!producer.stdin.write(lines)) await new Promise((resolve) => producer.stdin.once('drain', resolve));
          await new Promise((resolve) => setTimeout(resolve, KCAT_TICK_MS));
        }
        producer.stdin.end();
      })();
      try {
        await waitFor('a third of the records handed to kcat', async () => written >= KCAT_RECORDS / 3, 60_000, 20);
        const sample = await killLeaderOf(topic);
        console.log(`kcat: broker ${sample.killed} killed mid-stream at ${written} records; produce acknowledged again after ${Math.round(sample.failoverMs)} ms`);
        await feeding;
        // kcat exits once every message is delivered, 1 if any delivery failed.
        expect({ code: await exited, stderr }).toEqual({ code: 0, stderr });
        await consumerCatchesUp(consumer.stream, 'the consumer to see every record', () => consumer.count() === KCAT_RECORDS);
      } finally {
        producer.kill('SIGKILL');
        await consumer.stream.stop();
      }
      expect(unseen(consumer.seen, () => true)).toEqual([]);
    }), 240_000);
});
