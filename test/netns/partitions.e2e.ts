import { readFileSync, statSync } from 'node:fs';
import kafkajs, { type Producer } from 'kafkajs';
import { registerKafkajsCodecs } from '../../libs/broker-core/src/log/batch/testing/kafkajs-record-batch.js';
import type { StoredPartitionState } from '../support/cluster-database.js';
import { waitFor } from '../support/cluster-rest.js';
import { kcatMissing } from '../support/kcat.js';
import { NetnsCluster } from '../support/netns-cluster.js';
import { netnsUnavailable } from '../support/netns-hosts.js';
import { ACKED, SequencedProducer } from '../cluster/sequenced-producer.js';
import { readTopic, streamTopic } from '../cluster/topic-read-back.js';
import { PROBE_KEY } from '../support/leader-failover.js';

// Network partitions between real hosts (`npm run build`, PostgreSQL, kcat, root with
// iproute2 first): three brokers in three network namespaces, linked by veths to a bridge,
// reaching the registry database through a forwarder on that bridge. A cut takes one
// host's link down: packets vanish both ways, to the other brokers, the database and the
// clients at once. Partition states are read from the database, where a trigger records
// every write (ClusterDatabase.recordStateHistory), so a stale write later overwritten is
// still seen.

const SESSION_MS = 3000;
const TOPIC = 'cut';
const PARTITIONS = 3;
/**
 * The producer that was writing when the link went down must get acknowledgements again
 * during the cut (it fails over). It is not asked for many: kafkajs keeps a connection to
 * the blackholed broker and spends its request timeout and retries on it (a send stuck
 * there holds the producer's next batch), while the brokers serve the new leaders at once:
 * a client started during the cut must have every one of its acks=all sends acknowledged.
 */
const ACKS_DURING_CUT = 1;
/** acks=all records a client started during the cut sends to each partition. */
const FRESH_PER_PARTITION = 50;
/** Larger than a run ever gets to: the producer is stopped, not run out. */
const RECORDS = 1_000_000;

const unavailable = netnsUnavailable() ?? kcatMissing();
if (unavailable !== undefined) {
  console.error(`\n!!!!! SKIPPING the network-namespace partition tests: ${unavailable} !!!!!\n`);
}

function describeState(s: StoredPartitionState): string {
  return `${s.topic}-${s.partition} at zxid ${s.zxid}: controller_epoch ${s.controllerEpoch}, leader ${s.leader}, leader_epoch ${s.leaderEpoch}, isr [${s.isr.join(',')}]`;
}

/** Writes that carry a lower controller epoch or leader epoch than an earlier write of the same partition. */
function epochRegressions(history: readonly StoredPartitionState[]): string[] {
  return history
    .filter((s, i) => history.slice(0, i).some((b) => b.topic === s.topic && b.partition === s.partition && (b.controllerEpoch > s.controllerEpoch || b.leaderEpoch > s.leaderEpoch)))
    .map(describeState);
}

/**
 * kafkajs (acks=all, idempotent) with short request timeouts: a cut-off broker keeps its
 * connections open (nothing answers, nothing resets them), and kafkajs retries a metadata
 * request against the broker it first picked, so a long timeout means minutes of retries
 * before it asks another. Once a live broker's metadata no longer lists the cut-off one,
 * kafkajs drops it.
 */
function idempotentProducer(brokers: readonly string[]): Producer {
  registerKafkajsCodecs();
  const kafka = new kafkajs.Kafka({
    clientId: 'weir-netns-e2e', brokers: [...brokers], logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 }, connectionTimeout: 2000, requestTimeout: 3000,
  });
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

(unavailable === undefined ? describe : describe.skip)('partitions between hosts (network namespaces)', () => {
  let cluster: NetnsCluster | undefined;
  const started = () => {
    if (cluster === undefined) throw new Error('the cluster has not started');
    return cluster;
  };

  beforeAll(async () => {
    cluster = await NetnsCluster.start({ name: 'netns', brokers: 3, sessionTimeoutMs: SESSION_MS });
    await cluster.database.recordStateHistory();
    await cluster.rest().createTopic(TOPIC, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    await cluster.waitForPartitions(TOPIC, 'led and fully in sync', (v) => v.leader >= 0 && v.isr.length === 3, 30_000);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  it('a cut-off partition leader loses leadership and state writes; producers fail over without loss; healed, it catches up', () =>
    started().withLogsOnFailure(async () => {
      const c = started();
      const began = performance.now();
      const controller = await c.waitForController(10_000);
      const before = await c.rest().partitions(TOPIC);
      const victim = before.find((v) => v.leader !== controller)?.leader;
      if (victim === undefined) throw new Error(`every partition is led by the controller ${controller}: ${JSON.stringify(before)}`);
      const victimLed = before.filter((v) => v.leader === victim);

      const producer = idempotentProducer(c.kafkaAddresses);
      await producer.connect();
      const sequenced = new SequencedProducer(producer, TOPIC, RECORDS, PARTITIONS, 60, RECORDS);
      const writing = sequenced.run();
      let ackedDuringCut = 0;
      let freshAcked = 0;
      let cut = false;
      try {
        await waitFor('1,000 records acknowledged before the cut', async () => sequenced.acked >= 1000, 60_000, 20);
        const cutZxid = await c.database.zxid();
        c.cut(victim);
        cut = true;
        const cutAt = performance.now();
        const moved = await c.waitForPartitions(TOPIC, `partitions of broker ${victim} led elsewhere at a later epoch`, (v) => {
          const was = victimLed.find((w) => w.partition === v.partition);
          return was === undefined || (v.leader >= 0 && v.leader !== victim && v.leaderEpoch > was.leaderEpoch);
        }, SESSION_MS + 20_000);
        const movedMs = performance.now() - cutAt;
        const movedZxid = await c.database.zxid();
        await waitFor(`broker ${victim}'s registration gone`, async () => !(await c.rest(controller).brokers()).includes(victim), 10_000);
        const ackedAtMove = sequenced.acked;
        await waitFor(`${ACKS_DURING_CUT} more records acknowledged while the broker is cut off`, async () => sequenced.acked >= ackedAtMove + ACKS_DURING_CUT, 60_000, 20).catch(async (err: Error) => {
          const views = JSON.stringify(await c.rest().partitions(TOPIC));
          const writes = (await c.database.stateHistory()).filter((s) => s.zxid > cutZxid).map(describeState).join('; ');
          throw new Error(`${err.message} (${sequenced.acked - ackedAtMove} acknowledged, ${sequenced.failedSends} sends failed, last: ${sequenced.lastError}); partitions now ${views}; state writes since the cut: ${writes}`);
        });
        ackedDuringCut = sequenced.acked - ackedAtMove;
        // A client started now (bootstrapping from every broker, the cut one included) writes to the new leaders.
        const fresh = idempotentProducer(c.kafkaAddresses);
        const freshAt = performance.now();
        await fresh.connect();
        try {
          await Promise.all(Array.from({ length: PARTITIONS }, (_, partition) => fresh.send({
            topic: TOPIC, acks: -1,
            messages: Array.from({ length: FRESH_PER_PARTITION }, (_, i) => ({ key: PROBE_KEY, value: `fresh-${partition}-${i}`, partition })),
          })));
        } finally {
          await fresh.disconnect();
        }
        freshAcked = PARTITIONS * FRESH_PER_PARTITION;
        console.log(`a client started during the cut: ${freshAcked} acks=all records acknowledged in ${Math.round(performance.now() - freshAt)} ms`);
        console.log(`cut broker ${victim} (controller ${controller}): its partitions led elsewhere after ${Math.round(movedMs)} ms; ${ackedDuringCut} records acknowledged while cut off (${sequenced.failedSends} sends failed, last: ${sequenced.lastError})`);

        c.heal(victim);
        cut = false;
        const healAt = performance.now();
        await c.waitUntilRegistered([1, 2, 3], 2 * SESSION_MS + 30_000);
        await c.waitForPartitions(TOPIC, `broker ${victim} back in every ISR`, (v) => v.isr.includes(victim) && v.leader >= 0, 60_000);
        console.log(`healed broker ${victim}: registered and back in every ISR after ${Math.round(performance.now() - healAt)} ms`);

        // Fencing: once leadership moved, nothing wrote a state naming the cut-off broker leader at an epoch it had.
        const history = await c.database.stateHistory();
        const stale = history.filter((s) => s.zxid > movedZxid && s.leader === victim && s.leaderEpoch <= (moved.find((m) => m.partition === s.partition)?.leaderEpoch ?? -1));
        expect(stale.map(describeState)).toEqual([]);
        expect(epochRegressions(history.filter((s) => s.zxid > cutZxid))).toEqual([]);
      } finally {
        if (cut) c.heal(victim);
        sequenced.stop();
        // Disconnecting fails a send still retrying against a cut-off broker, so run() ends soon.
        await producer.disconnect();
        await writing;
      }
      expect(ackedDuringCut).toBeGreaterThanOrEqual(ACKS_DURING_CUT);

      // Leadership back to the preferred replicas: the healed broker leads its partitions again and serves them.
      const written = await c.rest().partitions(TOPIC);
      await c.electPreferredLeaders(TOPIC);
      // A new leader learns the HW from its followers' next fetches: read once it covers what was written.
      await c.waitForPartitions(TOPIC, 'led by the preferred replicas, HW back where it was', (v) => v.leader === v.replicas[0] && v.isr.length === 3
        && v.highWatermark >= (written.find((w) => w.partition === v.partition)?.highWatermark ?? 0), 30_000);
      // A read stops at each leader's HW as it is then; read again until nothing acknowledged is missing, or give up.
      let contents = await readTopic(c.bootstrap, TOPIC, 60_000);
      let reads = 1;
      let lost: number[] = [];
      let duplicates = 0;
      const tally = () => {
        const seen = new Uint8Array(RECORDS);
        duplicates = 0;
        for (const seqs of contents.partitions.values()) {
          for (const seq of seqs) {
            if (seen[seq] === 1) duplicates += 1;
            seen[seq] = 1;
          }
        }
        lost = [];
        for (let seq = 0; seq < sequenced.sent; seq += 1) if (sequenced.states[seq] === ACKED && seen[seq] === 0) lost.push(seq);
        return lost.length === 0;
      };
      await waitFor('every acknowledged record read back', async () => tally() || ((reads += 1), (contents = await readTopic(c.bootstrap, TOPIC, 60_000)), false), 15_000, 200).catch(() => undefined);
      console.log(`read back ${contents.records} records in ${reads} read(s) (${sequenced.acked} acknowledged, ${lost.length} of them missing, ${duplicates} duplicates); test took ${Math.round(performance.now() - began)} ms`);
      expect(lost.slice(0, 20)).toEqual([]);
      expect(contents.foreign).toEqual([]);
      expect(freshAcked).toBe(PARTITIONS * FRESH_PER_PARTITION);
      expect(contents.probes).toBeGreaterThanOrEqual(freshAcked);
      for (const p of victimLed) expect((await c.rest(victim).partition(TOPIC, p.partition)).leader).toBe(victim);
    }), 240_000);

  it('a cut-off controller is replaced and fenced by the controller epoch; healed, it stays a plain broker', () =>
    started().withLogsOnFailure(async () => {
      const c = started();
      const began = performance.now();
      await c.waitForPartitions(TOPIC, 'led and fully in sync', (v) => v.leader >= 0 && v.isr.length === 3, 60_000);
      const old = await c.waitForController(10_000);
      const oldEpoch = await c.database.controllerEpoch();
      c.cut(old);
      const cutAt = performance.now();
      const successor = await c.waitForController(SESSION_MS + 20_000, (id) => id !== old);
      const electedMs = performance.now() - cutAt;
      const successorEpoch = await c.database.controllerEpoch();
      const electedZxid = await c.database.zxid();
      expect(successorEpoch).toBeGreaterThan(oldEpoch);
      console.log(`cut controller ${old}: broker ${successor} controller after ${Math.round(electedMs)} ms (epoch ${oldEpoch} -> ${successorEpoch})`);

      c.heal(old);
      await c.waitUntilRegistered([1, 2, 3], 2 * SESSION_MS + 30_000);
      expect(await c.waitForController(10_000, (id) => id === successor)).toBe(successor);
      await c.waitForPartitions(TOPIC, 'led and fully in sync after the heal', (v) => v.leader >= 0 && v.isr.length === 3, 60_000);
      expect(await c.database.controllerEpoch()).toBe(successorEpoch);
      expect(c.broker(old).unexpectedExits).toEqual([]);

      const history = await c.database.stateHistory();
      expect(history.filter((s) => s.zxid > electedZxid && s.controllerEpoch < successorEpoch).map(describeState)).toEqual([]);
      expect(epochRegressions(history)).toEqual([]);
      console.log(`controller cut test took ${Math.round(performance.now() - began)} ms`);
    }), 180_000);
  it('the database unreachable for everyone for less than a session timeout: brokers keep serving, no controller change, no re-registration', () =>
    started().withLogsOnFailure(async () => {
      const c = started();
      await c.waitForPartitions(TOPIC, 'led and fully in sync', (v) => v.leader >= 0 && v.isr.length === 3, 60_000);
      const controller = await c.waitForController(10_000);
      const epoch = await c.database.controllerEpoch();
      const producer = idempotentProducer(c.kafkaAddresses);
      await producer.connect();
      try {
        // The producer id is claimed before the outage (it comes from the registry).
        await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'outage', value: 'before', partition: 0 }] });
        const logSizes = c.brokers.map((b) => statSync(b.logFile).size);
        const outageMs = SESSION_MS / 2;
        c.forwarder.hold();
        const heldAt = performance.now();
        let served: number;
        try {
          const messages = Array.from({ length: 30 }, (_, i) => ({ key: 'outage', value: `during-${i}`, partition: i % PARTITIONS }));
          await producer.send({ topic: TOPIC, acks: -1, timeout: outageMs, messages });
          // And fetch: every one of them read back (to the high watermarks) while the database is still away.
          let readBack = 0;
          const stream = streamTopic(c.bootstrap, TOPIC, true, (_p, key, value) => {
            if (key === 'outage' && value.startsWith('during-')) readBack += 1;
          });
          await stream.done;
          expect(readBack).toBe(30);
          served = performance.now() - heldAt;
          expect(served).toBeLessThan(outageMs);
        } finally {
          // The outage lasts outageMs whatever happened, so that the rest can be judged.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageMs - (performance.now() - heldAt))));
          c.forwarder.release();
        }
        console.log(`database held for ${outageMs} ms: 30 records acknowledged (acks=all) and read back after ${Math.round(served)} ms of it`);
        await c.waitUntilRegistered([1, 2, 3], 10_000);
        expect(await c.waitForController(10_000)).toBe(controller);
        expect(await c.database.controllerEpoch()).toBe(epoch);
        const rejoins = c.brokers.flatMap((b, i) => readFileSync(b.logFile, 'utf8').slice(logSizes[i]).split('\n').filter((l) => /registering broker \d+ again|no longer the controller/.test(l)));
        expect(rejoins).toEqual([]);
      } finally {
        await producer.disconnect();
      }
    }), 120_000);
});
