import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { KAFKA_ERRORS } from '../errors.js';
import { LogFollowerReplica } from '../kafka-client/testing/log-follower-replica.js';
import { epochReply, fetchReply, listOffsetsReply, ScriptedLeader } from '../kafka-client/testing/scripted-leader.js';
import { turn, until } from '../kafka-client/testing/wait.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { PartitionLog } from '../log/partition/partition-log.js';
import { RecordingLogger, tempDir } from '../log/testing/log-fixtures.js';
import { API_KEYS } from '../protocol/api-keys.js';
import type { FetchRequest } from '../protocol/fetch/index.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { ReplicaFetcherManager } from './replica-fetcher-manager.js';

const BACKOFF_MS = 1000;
const FOLLOWER = 2;
const LEADER = 1;

/** One-record batches at `offsets`, stamped with `epoch` (what a leader's log holds). */
function batches(epoch: number, ...offsets: number[]): Buffer {
  return Buffer.concat(offsets.map((offset) => encodeRecordBatch({
    baseOffset: BigInt(offset), partitionLeaderEpoch: epoch, defaultTimestamp: 1_700_000_000_000n, records: [{ value: Buffer.from(`r${offset}@${epoch}`) }],
  })));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The partitions of a Fetch request as [partition, fetch offset]. */
const fetched = (request: FetchRequest): [number, bigint][] => request.topics.flatMap((t) => t.partitions.map((p): [number, bigint] => [p.partition, p.fetchOffset]));

/**
 * The fetcher against a leader the test scripts: the requests it sends (fields and
 * versions), truncation on add (KIP-101/279), diverging epochs in fetch responses
 * (KIP-320), out of range, partition errors and their backoff on the mock timer,
 * removal and re-adding while a request is in flight, a dropped connection.
 */
describe('ReplicaFetcher against a scripted leader', () => {
  const time = new MockTime();
  let timer: MockTimer;
  let leader: ScriptedLeader;
  let manager: ReplicaFetcherManager;
  let logs: PartitionLog[];
  let dir: { dir: string; cleanup: () => void };
  let logger: RecordingLogger;

  beforeEach(async () => {
    timer = new MockTimer(time);
    leader = await ScriptedLeader.start();
    dir = tempDir('weir-fetcher-');
    logs = [];
    logger = new RecordingLogger();
    manager = new ReplicaFetcherManager({
      brokerId: FOLLOWER, timer, logger, resolveBroker: (id) => (id === LEADER ? { host: '127.0.0.1', port: leader.server.port } : undefined),
      replicaFetchWaitMaxMs: 500, replicaFetchMaxBytes: 65_536, replicaFetchBackoffMs: BACKOFF_MS,
    });
  });
  afterEach(async () => {
    await manager.close();
    await leader.server.close();
    for (const log of logs) await log.close();
    timer.close();
    dir.cleanup();
  });

  /** A follower replica of `topic`-`partition` whose log already holds `records`, with the given HW. */
  function replica(topic: string, partition: number, records: Buffer | undefined, options: { hw?: bigint; leaderEpoch?: number } = {}): LogFollowerReplica {
    const log = PartitionLog.open(join(dir.dir, `${topic}-${partition}`));
    logs.push(log);
    if (records) log.appendAsFollower(records);
    log.updateHighWatermark(options.hw ?? 0n);
    return new LogFollowerReplica(topic, partition, log, options.leaderEpoch ?? 3);
  }

  it('truncates a new partition to where the leader ends its epoch, then fetches v12 at the log end as a replica', async () => {
    const r = replica('t', 0, Buffer.concat([batches(0, ...range(0, 5)), batches(1, ...range(5, 10))]));
    manager.addPartitions(LEADER, [r]);
    const ask = await leader.take(API_KEYS.OffsetForLeaderEpoch);
    expect(ask.version).toBe(4);
    expect(ask.request).toEqual({ replicaId: FOLLOWER, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 3, leaderEpoch: 1 }] }] });
    epochReply(ask, 't', [{ partition: 0, leaderEpoch: 1, endOffset: 7n }]);

    const fetch = await leader.take(API_KEYS.Fetch);
    expect(r.calls).toEqual(['truncateTo 7']);
    expect(fetch.version).toBe(12);
    expect(fetch.request).toEqual(expect.objectContaining({ replicaId: FOLLOWER, maxWaitMs: 500, minBytes: 1, isolationLevel: 0, sessionId: 0, sessionEpoch: -1 }));
    expect(fetch.request.topics).toEqual([expect.objectContaining({
      topic: 't',
      partitions: [{ partition: 0, currentLeaderEpoch: 3, fetchOffset: 7n, lastFetchedEpoch: 1, logStartOffset: 0n, partitionMaxBytes: 65_536 }],
    })]);
    const leaderRecords = batches(3, 7, 8);
    fetchReply(fetch, 't', [{ partition: 0, highWatermark: 8n, records: leaderRecords }]);

    const next = await leader.take(API_KEYS.Fetch);
    expect(fetched(next.request)).toEqual([[0, 9n]]);
    expect(r.calls).toEqual(['truncateTo 7', 'append 7..8', 'hw 8']);
    expect(r.highWatermark).toBe(8n);
    expect(Buffer.compare(r.log.read(7n, 1 << 20).records, leaderRecords)).toBe(0);
    expect(r.epochEntries).toEqual([[0, 0], [1, 5], [3, 7]]);
    expect(manager.fetcherStats()).toEqual([expect.objectContaining({
      leaderId: LEADER, fetchRequests: 2, bytesFetched: leaderRecords.length, requestInFlight: true,
      partitions: [expect.objectContaining({ topic: 't', partition: 0, phase: 'fetching', logEndOffset: 9n, leaderHighWatermark: 8n })],
    })]);
  });

  it('asks again with its lower epoch when the leader answers an epoch the follower skipped (KIP-279)', async () => {
    const r = replica('t', 0, Buffer.concat([batches(0, ...range(0, 5)), batches(2, ...range(5, 10))]));
    manager.addPartitions(LEADER, [r]);
    const first = await leader.take(API_KEYS.OffsetForLeaderEpoch);
    expect(first.request.topics[0]!.partitions[0]!.leaderEpoch).toBe(2);
    epochReply(first, 't', [{ partition: 0, leaderEpoch: 1, endOffset: 8n }]);
    const second = await leader.take(API_KEYS.OffsetForLeaderEpoch);
    expect(r.calls).toEqual(['truncateTo 5']);
    expect(second.request.topics[0]!.partitions[0]!.leaderEpoch).toBe(0);
    epochReply(second, 't', [{ partition: 0, leaderEpoch: 0, endOffset: 4n }]);
    const fetch = await leader.take(API_KEYS.Fetch);
    expect(r.calls).toEqual(['truncateTo 5', 'truncateTo 4']);
    expect(fetched(fetch.request)).toEqual([[0, 4n]]);
  });

  it('without local epochs, truncates to its high watermark and fetches without asking', async () => {
    const r = replica('t', 0, batches(-1, ...range(0, 6)), { hw: 3n });
    expect(r.latestLocalEpoch).toBe(-1);
    manager.addPartitions(LEADER, [r]);
    const fetch = await leader.take(API_KEYS.Fetch);
    expect(fetched(fetch.request)).toEqual([[0, 3n]]);
    expect(r.calls).toEqual(['truncateTo 3']);
    expect(leader.waiting(API_KEYS.OffsetForLeaderEpoch)).toBe(0);
  });

  it.each(['FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'NOT_LEADER_OR_FOLLOWER', 'UNKNOWN_TOPIC_OR_PARTITION'] as const)(
    'OffsetForLeaderEpoch answering %s keeps the partition waiting; it asks again after the backoff', async (error) => {
    const r = replica('t', 0, batches(0, ...range(0, 5)));
    manager.addPartitions(LEADER, [r]);
    epochReply(await leader.take(API_KEYS.OffsetForLeaderEpoch), 't', [{ partition: 0, errorCode: KAFKA_ERRORS[error].code, leaderEpoch: -1, endOffset: -1n }]);
    await until(() => manager.fetcherStats()[0]!.partitions[0]!.delayed, 'partition backing off');
    expect(manager.fetcherStats()[0]!.partitions[0]).toEqual(expect.objectContaining({ phase: 'truncating', lastError: `OffsetForLeaderEpoch: ${error}` }));
    time.advance(BACKOFF_MS - 1);
    await turn();
    expect(leader.waiting(API_KEYS.OffsetForLeaderEpoch) + leader.waiting(API_KEYS.Fetch)).toBe(0);
    time.advance(1);
    epochReply(await leader.take(API_KEYS.OffsetForLeaderEpoch), 't', [{ partition: 0, leaderEpoch: 0, endOffset: 3n }]);
    expect(fetched((await leader.take(API_KEYS.Fetch)).request)).toEqual([[0, 3n]]);
    expect(r.calls).toEqual(['truncateTo 3']);
  });

  it('a partition error in a fetch backs off that partition only', async () => {
    const [a, b] = [replica('t', 0, undefined), replica('t', 1, undefined)];
    manager.addPartitions(LEADER, [a, b]);
    const fetch = await leader.take(API_KEYS.Fetch);
    expect(fetched(fetch.request)).toEqual([[0, 0n], [1, 0n]]);
    fetchReply(fetch, 't', [{ partition: 0, errorCode: KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code, highWatermark: -1n }, { partition: 1, highWatermark: 1n, records: batches(3, 0) }]);
    const next = await leader.take(API_KEYS.Fetch);
    expect(fetched(next.request)).toEqual([[1, 1n]]);
    fetchReply(next, 't', [{ partition: 1, highWatermark: 1n }]);
    const third = await leader.take(API_KEYS.Fetch);
    expect(fetched(third.request)).toEqual([[1, 1n]]);
    time.advance(BACKOFF_MS);
    fetchReply(third, 't', [{ partition: 1, highWatermark: 1n }]);
    expect(fetched((await leader.take(API_KEYS.Fetch)).request)).toEqual([[0, 0n], [1, 1n]]);
    expect(a.calls).toEqual([]);
    expect(logger.errors).toEqual([]);
  });

  it('OFFSET_OUT_OF_RANGE: asks the leader\'s log end and start as a replica, then cuts to the end or starts over at the start', async () => {
    const [behind, ahead] = [replica('t', 0, batches(0, ...range(0, 6))), replica('t', 1, batches(0, 0, 1))];
    manager.addPartitions(LEADER, [behind, ahead]);
    epochReply(await leader.take(API_KEYS.OffsetForLeaderEpoch), 't', [{ partition: 0, leaderEpoch: 0, endOffset: 6n }, { partition: 1, leaderEpoch: 0, endOffset: 2n }]);
    const fetch = await leader.take(API_KEYS.Fetch);
    fetchReply(fetch, 't', [0, 1].map((partition) => ({ partition, errorCode: KAFKA_ERRORS.OFFSET_OUT_OF_RANGE.code, highWatermark: -1n })));
    const latest = await leader.take(API_KEYS.ListOffsets);
    const earliest = await leader.take(API_KEYS.ListOffsets);
    expect(latest.version).toBe(7);
    for (const [pending, timestamp] of [[latest, -1n], [earliest, -2n]] as const) {
      expect(pending.request.replicaId).toBe(FOLLOWER);
      expect(pending.request.topics[0]!.partitions.map((p) => [p.partitionIndex, p.timestamp, p.currentLeaderEpoch])).toEqual([[0, timestamp, 3], [1, timestamp, 3]]);
    }
    listOffsetsReply(latest, 't', [[0, 4n], [1, 900n]]);
    listOffsetsReply(earliest, 't', [[0, 0n], [1, 500n]]);
    const next = await leader.take(API_KEYS.Fetch);
    expect(behind.calls).toEqual(['truncateTo 4']);
    expect(ahead.calls).toEqual(['truncateFullyAndStartAt 500']);
    expect(fetched(next.request)).toEqual([[0, 4n], [1, 500n]]);
    expect(next.request.topics[0]!.partitions[1]!.logStartOffset).toBe(500n);
  });

  it('a diverging epoch in a fetch response truncates with the local end of that epoch (KIP-320)', async () => {
    const r = replica('t', 0, Buffer.concat([batches(0, ...range(0, 5)), batches(1, ...range(5, 10))]));
    manager.addPartitions(LEADER, [r]);
    epochReply(await leader.take(API_KEYS.OffsetForLeaderEpoch), 't', [{ partition: 0, leaderEpoch: 1, endOffset: 10n }]);
    const fetch = await leader.take(API_KEYS.Fetch);
    fetchReply(fetch, 't', [{ partition: 0, highWatermark: 4n, divergingEpoch: { epoch: 0, endOffset: 4n }, records: batches(5, 10) }]);
    const next = await leader.take(API_KEYS.Fetch);
    expect(r.calls).toEqual(['truncateTo 4']);
    expect(fetched(next.request)).toEqual([[0, 4n]]);
    expect(next.request.topics[0]!.partitions[0]!.lastFetchedEpoch).toBe(0);
  });

  it('does not apply a response in flight to a partition removed or re-added meanwhile', async () => {
    const [kept, removed, readded] = [replica('t', 0, undefined), replica('t', 1, undefined), replica('t', 2, undefined)];
    manager.addPartitions(LEADER, [kept, removed, readded]);
    const fetch = await leader.take(API_KEYS.Fetch);
    expect(fetched(fetch.request)).toEqual([[0, 0n], [1, 0n], [2, 0n]]);
    manager.removePartitions([{ topic: 't', partition: 1 }]);
    removed.detach();
    readded.leaderEpoch = 4;
    manager.addPartitions(LEADER, [readded]);
    fetchReply(fetch, 't', [0, 1, 2].map((partition) => ({ partition, highWatermark: 2n, records: batches(3, 0, 1) })));
    const next = await leader.take(API_KEYS.Fetch);
    expect(fetched(next.request)).toEqual([[0, 2n], [2, 0n]]);
    expect(next.request.topics[0]!.partitions[1]!.currentLeaderEpoch).toBe(4);
    expect(kept.calls).toEqual(['append 0..1', 'hw 2']);
    expect(removed.calls).toEqual([]);
    expect(removed.callsAfterDetach).toEqual([]);
    expect(readded.calls).toEqual([]);
    expect(manager.fetcherStats()[0]!.discardedResults).toBe(2);
    expect(manager.leaderOf('t', 1)).toBeUndefined();
  });

  it('a dropped connection backs the fetcher off, then it reconnects and carries on', async () => {
    const r = replica('t', 0, undefined);
    manager.addPartitions(LEADER, [r]);
    fetchReply(await leader.take(API_KEYS.Fetch), 't', [{ partition: 0, highWatermark: 1n, records: batches(3, 0) }]);
    await leader.take(API_KEYS.Fetch);
    leader.server.dropConnections();
    await until(() => manager.fetcherStats()[0]!.backingOff, 'fetcher backing off');
    expect(manager.fetcherStats()[0]!.lastError).toMatch(/^disconnected: /);
    time.advance(BACKOFF_MS);
    await turn();
    time.advance(50);
    const again = await leader.take(API_KEYS.Fetch);
    expect(again.connection).toBe(1);
    expect(fetched(again.request)).toEqual([[0, 1n]]);
    expect(r.calls).toEqual(['append 0..0', 'hw 1']);
  });

  it('moves a partition to the fetcher of its new leader, and shuts down a fetcher left without partitions', async () => {
    const r = replica('t', 0, undefined);
    manager.addPartitions(LEADER, [r]);
    await leader.take(API_KEYS.Fetch);
    r.leaderEpoch = 5;
    manager.addPartitions(7, [r]);
    expect(manager.leaderOf('t', 0)).toBe(7);
    await turn();
    expect(manager.fetcherStats().map((s) => s.leaderId)).toEqual([7]);
    await until(() => leader.server.openConnections === 0, 'the old leader\'s connection closed');
    expect(() => manager.addPartitions(FOLLOWER, [r])).toThrow(RangeError);
  });

  it('a partition removed and added back in one turn (a new epoch) keeps its fetcher and connection', async () => {
    const r = replica('t', 0, undefined);
    manager.addPartitions(LEADER, [r]);
    const stale = await leader.take(API_KEYS.Fetch);
    manager.removePartitions([r]);
    r.leaderEpoch = 4;
    manager.addPartitions(LEADER, [r]);
    await turn();
    fetchReply(stale, 't', [{ partition: 0, highWatermark: 1n, records: batches(3, 0) }]);
    const next = await leader.take(API_KEYS.Fetch);
    expect(next.connection).toBe(0);
    expect(next.request.topics[0]!.partitions[0]).toEqual(expect.objectContaining({ fetchOffset: 0n, currentLeaderEpoch: 4 }));
    expect(r.calls).toEqual([]);
  });

  it('close() with a fetch in flight resolves and leaves the replicas alone', async () => {
    const r = replica('t', 0, undefined);
    manager.addPartitions(LEADER, [r]);
    const fetch = await leader.take(API_KEYS.Fetch);
    await manager.close();
    r.detach();
    fetchReply(fetch, 't', [{ partition: 0, highWatermark: 1n, records: batches(3, 0) }]);
    await turn();
    expect(r.callsAfterDetach).toEqual([]);
    expect(manager.fetcherStats()).toEqual([]);
  });
});
