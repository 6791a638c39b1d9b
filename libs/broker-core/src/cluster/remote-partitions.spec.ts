import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProduceRecord, ReadQuery, ReadResult } from '../broker/broker-api.js';
import { partitionForKey } from '../broker/murmur2.js';
import { expectCode, expectKafkaError } from '../broker/testing/expect-error.js';
import { turn, until } from '../kafka-client/testing/wait.js';
import { encodeControlBatch } from '../log/batch/control-record.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { PartitionLog } from '../log/partition/partition-log.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { SystemTime } from '../time.js';
import { SystemTimer } from '../timer/system-timer.js';
import { LocalCluster } from './local-cluster.js';
import { RemotePartitions } from './remote-partitions.js';
import { readRemoteRecords, type RemoteLog } from './remote-partitions-reader.js';

/**
 * RemotePartitions against a real broker over real TCP: a LocalCluster of one broker on
 * an in-memory registry, and RemotePartitions on the same registry reaching that broker
 * at its registered endpoint, as a gateway of another process would. Every answer is
 * checked against what the broker itself answers for the same data.
 */
let dataDir: string;
let registry: Registry;
let timer: SystemTimer;
let cluster: LocalCluster;
let remote: RemotePartitions;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'weir-remote-partitions-'));
  const time = new SystemTime();
  timer = new SystemTimer();
  registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
  cluster = await LocalCluster.start({
    brokerIds: [1], dataDir, registry, timer, time, host: '127.0.0.1', advertisedHost: '127.0.0.1', kafkaPorts: [0], defaults: { sessionTimeoutMs: 6000 },
  });
  remote = new RemotePartitions({ registry, timer, logger: SILENT_STORAGE_LOGGER, clientId: 'rest-forwarder', requestTimeoutMs: 5000, time });
});

afterAll(async () => {
  try {
    remote.close();
    await cluster.close();
    await registry.close();
    timer.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const text = (s: string) => Buffer.from(s);
const records = (tag: string, count: number, firstTimestamp: number, valueBytes = 0): ProduceRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    key: text(`${tag}-k${i}`), value: text(`${tag}-${i}-`.padEnd(valueBytes, 'x')), timestamp: firstTimestamp + i,
    headers: i % 2 === 0 ? [{ key: 'h', value: text(`${i}`) }] : [],
  }));

/** A read as strings: deep equality over thousands of Buffers is slow. */
const hex = (b: Buffer | null) => (b === null ? 'null' : b.toString('hex'));
const comparable = (read: ReadResult) => ({
  ...read,
  records: read.records.map((r) => `${r.partition}/${r.offset}/${r.timestamp}/${r.timestampType}/${hex(r.key)}/${hex(r.value)}/${r.headers.map((h) => `${h.key}=${hex(h.value)}`).join(',')}`),
});

async function values(topic: string, partition: number): Promise<string[]> {
  const read = await cluster.readRecords(topic, partition, { start: { position: 'oldest' }, maxRecords: 10_000, maxBytes: 1 << 26 });
  return read.records.map((r) => r.value!.toString());
}

describe('RemotePartitions writes', () => {
  it('appends batches per partition through the leader with every acks, in call order', async () => {
    await cluster.createTopic({ name: 'append', partitions: 2 });
    const batch = (tag: string) => encodeRecordBatch({ records: [{ value: text(`${tag}-a`) }, { value: text(`${tag}-b`) }], defaultTimestamp: 5 });
    for (const acks of [1, -1, 0] as const) {
      const results = await remote.appendRecords([
        { topic: 'append', partition: 1, records: batch(`p1-acks${acks}`) },
        { topic: 'append', partition: 0, records: batch(`p0-acks${acks}`) },
        { topic: 'append', partition: 7, records: batch('nowhere') },
      ], { acks, timeoutMs: 1000 });
      expect(results.map((r) => [r.topic, r.partition, r.errorCode])).toEqual([['append', 1, 0], ['append', 0, 0], ['append', 7, 3]]);
      expect(results[2]!.errorMessage).toMatch(/append-7/);
    }
    expect(await values('append', 0)).toEqual(['p0-acks1-a', 'p0-acks1-b', 'p0-acks-1-a', 'p0-acks-1-b', 'p0-acks0-a', 'p0-acks0-b']);
    const again = await remote.appendRecords([{ topic: 'append', partition: 1, records: batch('last') }], { acks: 1, timeoutMs: 1000 });
    expect(again).toEqual([{ topic: 'append', partition: 1, errorCode: 0, errorMessage: null, baseOffset: 6n, logAppendTime: -1n, logStartOffset: 0n }]);
  });

  it('passes the leader\'s per-partition refusals through with their messages', async () => {
    await cluster.createTopic({ name: 'strict', partitions: 1, configs: { 'min.insync.replicas': '2' } });
    const [refused] = await remote.appendRecords([{ topic: 'strict', partition: 0, records: encodeRecordBatch({ records: [{ value: text('x') }] }) }], { acks: -1, timeoutMs: 1000 });
    expectCode(refused!, 'NOT_ENOUGH_REPLICAS');
    expect(refused!.errorMessage).toEqual(expect.any(String));
  });

  it('produces records placed by partition, key or stickiness, with offsets and timestamps per record', async () => {
    await cluster.createTopic({ name: 'produce', partitions: 3, configs: { 'compression.type': 'gzip' } });
    const key = ['a', 'b', 'c', 'd', 'e'].map(text).find((k) => partitionForKey(k, 3) !== 2)!;
    const produced = await remote.produce('produce', [
      { partition: 2, key: null, value: text('two'), timestamp: 1234 },
      { key, value: text('keyed') },
      { partition: 2, key: null, value: text('two again') },
    ], { acks: 1 });
    expect(produced.map((r) => [r.partition, r.offset, r.errorCode])).toEqual([[2, 0n, 0], [partitionForKey(key, 3), 0n, 0], [2, 1n, 0]]);
    expect(produced[0]!.timestamp).toBe(1234n);
    expect(await values('produce', 2)).toEqual(['two', 'two again']);
    expect(await values('produce', produced[1]!.partition)).toContain('keyed');
    const [outOfRange] = await remote.produce('produce', [{ partition: 9, key: null, value: text('x') }]);
    expectCode(outOfRange!, 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(remote.produce('no-such-topic', [{ key: null, value: text('x') }]), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('deletes records up to an offset or the HW and refuses offsets past the HW', async () => {
    await cluster.createTopic({ name: 'delete', partitions: 1 });
    await cluster.produce('delete', records('d', 10, 1000), { acks: 1 });
    expect(await remote.deleteRecords('delete', 0, 4n)).toBe(4n);
    expect(cluster.describeTopic('delete').partitions[0]!.logStartOffset).toBe(4n);
    await expectKafkaError(remote.deleteRecords('delete', 0, 11n), 'OFFSET_OUT_OF_RANGE');
    expect(await remote.deleteRecords('delete', 0, -1n)).toBe(10n);
    expect(await remote.partitionOffsets('delete', 0)).toEqual({ logStartOffset: 10n, highWatermark: 10n, lastStableOffset: 10n, logEndOffset: -1n, sizeBytes: 0 });
  });
});

describe('RemotePartitions reads', () => {
  beforeAll(async () => {
    await cluster.createTopic({ name: 'offsets', partitions: 2 });
    await cluster.produce('offsets', records('o', 5, 1000).map((r) => ({ ...r, partition: 0 })), { acks: 1 });
    await cluster.produce('offsets', records('o', 5, 3000).map((r) => ({ ...r, partition: 0 })), { acks: 1 });
  });

  it.each([-1n, -2n, -3n, 0n, 1003n, 2000n, 3004n, 9999n])('lists offsets for timestamp %s as the broker does', async (timestamp) => {
    expect(await remote.listOffset('offsets', 0, timestamp)).toEqual(await cluster.listOffset('offsets', 0, timestamp));
  });

  it('gives the log start and HW for describeTopic, and fences a stale leader epoch', async () => {
    expect(await remote.partitionOffsets('offsets', 0)).toEqual({ logStartOffset: 0n, highWatermark: 10n, lastStableOffset: 10n, logEndOffset: -1n, sizeBytes: 0 });
    const epoch = cluster.describeTopic('offsets').partitions[0]!.leaderEpoch;
    expect(await remote.listOffset('offsets', 0, -1n, { currentLeaderEpoch: epoch })).toEqual({ offset: 10n, timestamp: -1n });
    await expectKafkaError(remote.listOffset('offsets', 0, -1n, { currentLeaderEpoch: epoch + 1 }), 'UNKNOWN_LEADER_EPOCH');
  });

  it('fetches the stored bytes the broker serves, per partition in call order, with its HW and log start', async () => {
    const wanted = [
      { topic: 'offsets', partition: 0, fetchOffset: 3n, maxBytes: 1 << 20 },
      { topic: 'offsets', partition: 1, fetchOffset: 0n, maxBytes: 1 << 20 },
      { topic: 'nope', partition: 0, fetchOffset: 0n, maxBytes: 1 },
      { topic: 'offsets', partition: 0, fetchOffset: 99n, maxBytes: 1 },
    ];
    for (const isolation of ['read_uncommitted', 'read_committed'] as const) {
      const [got, local] = await Promise.all([remote.fetch(wanted, { isolation }), cluster.fetch(wanted, { isolation })]);
      expect(got.map((r) => ({ ...r, records: Buffer.from(r.records) }))).toEqual(local.map((r) => ({ ...r, records: Buffer.from(r.records) })));
      expect(got[0]!.records.length).toBeGreaterThan(0);
      expect(got.map((r) => r.errorCode)).toEqual([0, 0, 3, 1]);
    }
  });

  it('long-polls at the leader until records arrive', async () => {
    const polling = remote.fetch([{ topic: 'offsets', partition: 1, fetchOffset: 0n, maxBytes: 1 << 20 }], { maxWaitMs: 20_000, minBytes: 1 });
    let answered = false;
    void polling.then(() => (answered = true));
    // The poll is parked at the leader; requests that do not wait are not held up behind it.
    await until(() => cluster.kafkaListener(1)!.inFlightRequestCount === 1, 'the poll parked at the leader');
    const [quick] = await remote.fetch([{ topic: 'offsets', partition: 0, fetchOffset: 0n, maxBytes: 1 }]);
    expect(quick!.errorCode).toBe(0);
    expect(answered).toBe(false);
    await cluster.produce('offsets', [{ partition: 1, key: null, value: text('wake') }], { acks: 1 });
    const [result] = await polling;
    expect(result!.highWatermark).toBe(1n);
    expect(result!.records.length).toBeGreaterThan(0);
  });
});

describe('RemotePartitions.readRecords matches the broker\'s own', () => {
  const topic = 'browse';
  beforeAll(async () => {
    await cluster.createTopic({ name: topic, partitions: 1 });
    let ts = 10_000;
    const batches: [number, number][] = [[1, 0], [3, 0], [7, 200], [2, 0], [50, 10], [120, 1024], [120, 1024], [120, 1024], [4, 0]];
    for (const [i, [count, valueBytes]] of batches.entries()) {
      await cluster.produce(topic, records(`b${i}`, count, ts, valueBytes).map((r) => ({ ...r, partition: 0 })), { acks: 1 });
      ts += count * 10;
      if (i === 2) await appendTransactionMarker(BigInt(ts));
    }
  }, 30_000);

  /**
   * Brokers refuse control batches from clients, and Weir writes no transaction markers
   * yet: the marker goes into the stopped broker's log file, which it reads at start.
   */
  async function appendTransactionMarker(timestamp: bigint): Promise<void> {
    const { leaderEpoch } = cluster.describeTopic(topic).partitions[0]!;
    await cluster.stopBroker(1, { controlled: true });
    const log = PartitionLog.open(join(dataDir, 'logs', `${topic}-0`));
    log.append(encodeControlBatch({ producerId: 7n, producerEpoch: 0, type: 'COMMIT', coordinatorEpoch: 0, timestamp }), { leaderEpoch, origin: 'coordinator' });
    await log.close();
    await cluster.startBroker(1);
  }

  const starts: ReadQuery['start'][] = [
    { position: 'oldest' }, { position: 'newest' },
    { offset: 0n }, { offset: 1n }, { offset: 11n }, { offset: 12n }, { offset: 60n }, { offset: 200n }, { offset: 427n }, { offset: 428n },
    { timestamp: 0 }, { timestamp: 10_015 }, { timestamp: 10_200 }, { timestamp: 13_000 }, { timestamp: 99_999 },
  ];
  const pages: Pick<ReadQuery, 'maxRecords' | 'maxBytes'>[] = [{}, { maxRecords: 1 }, { maxRecords: 5 }, { maxRecords: 70 }, { maxBytes: 1 }, { maxBytes: 3000 }];

  async function compareAll(): Promise<number> {
    let compared = 0;
    for (const start of starts) {
      for (const direction of ['forward', 'backward'] as const) {
        for (const page of pages) {
          const query = { start, direction, ...page };
          const local = await cluster.readRecords(topic, 0, query).then(comparable, String);
          const got = await remote.readRecords(topic, 0, query).then(comparable, String);
          expect([query, got]).toEqual([query, local]);
          compared++;
        }
      }
    }
    return compared;
  }

  it('from every kind of start, both ways, for every page bound, across several fetches', async () => {
    expect((await cluster.listOffset(topic, 0, -1n))!.offset).toBe(428n);
    expect(await compareAll()).toBe(starts.length * 2 * pages.length);
  });

  it('pages forward and backward the same way', async () => {
    for (const direction of ['forward', 'backward'] as const) {
      let start: ReadQuery['start'] = { position: direction === 'forward' ? 'oldest' : 'newest' };
      for (let page = 0; page < 100; page++) {
        const query: ReadQuery = { start, direction, maxRecords: 37 };
        const [got, local] = await Promise.all([remote.readRecords(topic, 0, query), cluster.readRecords(topic, 0, query)]);
        expect(comparable(got)).toEqual(comparable(local));
        if (got.records.length === 0) break;
        start = { offset: got.nextOffset };
        if (direction === 'backward' && got.nextOffset < 0n) break;
      }
    }
  });

  it('after the log start moved into a batch, and refuses bad bounds alike', async () => {
    await cluster.deleteRecords(topic, 0, 12n);
    expect(await compareAll()).toBe(starts.length * 2 * pages.length);
    await expectKafkaError(remote.readRecords(topic, 0, { start: { offset: 5n } }), 'OFFSET_OUT_OF_RANGE');
    await expectKafkaError(remote.readRecords(topic, 0, { start: { offset: 429n }, direction: 'backward' }), 'OFFSET_OUT_OF_RANGE');
    await expectKafkaError(remote.readRecords(topic, 0, { start: { position: 'oldest' }, maxRecords: 0 }), 'INVALID_REQUEST');
    await expectKafkaError(remote.readRecords(topic, 0, { start: { timestamp: -5 } }), 'INVALID_REQUEST');
    await expectKafkaError(remote.readRecords(topic, 3, { start: { position: 'oldest' } }), 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('RemotePartitions.logDirSize', () => {
  it('sums what the broker reports through DescribeLogDirs: the size of every replica in its log dir', async () => {
    await cluster.createTopic({ name: 'sized', partitions: 2 });
    await cluster.produce('sized', records('s', 20, 1000, 200));
    const [dir] = cluster.describeLogDirs();
    const local = dir!.replicas.reduce((n, r) => n + r.sizeBytes, 0);
    expect(dir!.replicas.find((r) => r.topic === 'sized')!.sizeBytes).toBeGreaterThan(0);
    expect(dir!.totalBytes).toBeGreaterThan(0n);
    expect(await remote.logDirSize(1)).toBe(local);
  });
});

describe('readRemoteRecords while records arrive', () => {
  it('keeps to the HW it read first, as a local read at that moment would', async () => {
    await cluster.createTopic({ name: 'arriving', partitions: 1 });
    await cluster.produce('arriving', records('a', 20, 1000).map((r) => ({ ...r, partition: 0 })), { acks: 1 });
    const before = comparable(await cluster.readRecords('arriving', 0, { start: { position: 'oldest' } }));
    // The leader over the wire, with more records produced between the bounds and the first fetch.
    const log: RemoteLog = {
      bounds: async () => {
        const { logStartOffset, highWatermark } = await remote.partitionOffsets('arriving', 0);
        await cluster.produce('arriving', records('late', 5, 2000).map((r) => ({ ...r, partition: 0 })), { acks: 1 });
        return { logStartOffset, highWatermark };
      },
      offsetForTimestamp: async (ts) => (await remote.listOffset('arriving', 0, ts))?.offset,
      read: async (offset, maxBytes) => (await remote.fetch([{ topic: 'arriving', partition: 0, fetchOffset: offset, maxBytes }]))[0]!.records,
    };
    expect(comparable(await readRemoteRecords(log, 0, { start: { position: 'oldest' } }))).toEqual(before);
    expect((await cluster.listOffset('arriving', 0, -1n))!.offset).toBe(25n);
  });
});

describe('RemotePartitions when the leader goes', () => {
  it('answers NOT_LEADER_OR_FOLLOWER while it does not listen, LEADER_NOT_AVAILABLE once it is gone, and reaches it again when it is back', async () => {
    expect(await remote.listOffset('offsets', 0, -1n)).toEqual({ offset: 10n, timestamp: -1n });
    // Still registered but not listening, as a broker that died before its session expired.
    await cluster.kafkaListener(1)!.close();
    expect(remote.leaderOf('offsets', 0)).toBe(1);
    await expectKafkaError(remote.listOffset('offsets', 0, -1n), 'NOT_LEADER_OR_FOLLOWER');
    const [appended] = await remote.appendRecords([{ topic: 'offsets', partition: 0, records: encodeRecordBatch({ records: [{ value: text('lost') }] }) }], { acks: 1, timeoutMs: 100 });
    expectCode(appended!, 'NOT_LEADER_OR_FOLLOWER');
    expectCode((await remote.fetch([{ topic: 'offsets', partition: 0, fetchOffset: 0n, maxBytes: 1 }]))[0]!, 'NOT_LEADER_OR_FOLLOWER');

    // Its session gone, the partition has no leader.
    await cluster.stopBroker(1, { controlled: false });
    expect(remote.leaderOf('offsets', 0)).toBeUndefined();
    await expectKafkaError(remote.readRecords('offsets', 0, { start: { position: 'oldest' } }), 'LEADER_NOT_AVAILABLE');

    await cluster.startBroker(1);
    // Polled with a deadline: the broker is elected leader again, and the pool reconnects after its backoff.
    let back: unknown;
    const deadline = Date.now() + 10_000;
    while (back === undefined && Date.now() < deadline) {
      back = await remote.listOffset('offsets', 0, -1n).catch(() => undefined);
      if (back === undefined) await turn();
    }
    expect(back).toEqual({ offset: 10n, timestamp: -1n });
    expect((await remote.readRecords('offsets', 0, { start: { position: 'oldest' } })).records).toHaveLength(10);
  });
});
