import type { Broker } from '../../broker/broker.js';
import type { MockTime } from '../../time.js';
import { encodeRecordBatch } from '../../log/batch/record-batch-encoder.js';
import { CONSUMER_OFFSETS_TOPIC, offsetCommitRecord } from '../consumer-offsets-record.js';
import type { GroupCoordinator } from '../group-coordinator.js';
import type { OffsetCommitEntry } from '../group-results.js';
import { settle } from './coordinator-harness.js';

/**
 * A commit workload for `__consumer_offsets` compaction: `groups` simple groups (generation
 * -1, as admin tools and manual consumers commit) each committing every partition of
 * `topic` once per round, `rounds` times, so groups x partitions x rounds records are
 * written while the live key set stays groups x partitions. Every offset is a function
 * of (round, group, partition), so the last round's values are known without keeping them.
 *
 * Shared by the compaction spec (a scaled-down run) and `npm run bench -- groups` (the
 * full 1,000,000 commits).
 */
export interface ChurnShape {
  readonly topic: string;
  readonly groups: number;
  readonly partitions: number;
  readonly rounds: number;
}

export function churnGroupId(group: number): string {
  return `churn-${String(group).padStart(4, '0')}`;
}

/** What group `group` commits for `partition` in `round`: distinct per round, so a stale value is told apart. */
export function churnOffset(round: number, group: number, partition: number): bigint {
  return BigInt(round) * 1_000_000n + BigInt(group) * 1_000n + BigInt(partition);
}

/**
 * One round: every group commits all its partitions in one OffsetCommit, the groups'
 * commits in flight together as a coordinator serves many clients. Rejects on the first
 * partition answered with an error.
 */
export async function commitChurnRound(groups: GroupCoordinator, shape: ChurnShape, round: number): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let g = 0; g < shape.groups; g++) {
    const offsets: OffsetCommitEntry[] = [];
    for (let p = 0; p < shape.partitions; p++) {
      offsets.push({ topic: shape.topic, partition: p, offset: churnOffset(round, g, p), leaderEpoch: -1, metadata: null, commitTimestampMs: -1 });
    }
    const groupId = churnGroupId(g);
    calls.push(groups.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets }).then((results) => {
      const failed = results.find((r) => r.errorCode !== 0);
      if (failed !== undefined) throw new Error(`round ${round}: ${groupId} commit of ${failed.topic}-${failed.partition} answered ${failed.errorCode}`);
    }));
  }
  await Promise.all(calls);
}

/** One `__consumer_offsets` partition's bytes, and the bytes its live keys take once compacted. */
export interface OffsetsLogSize {
  readonly partition: number;
  readonly sizeBytes: number;
  readonly liveBytes: number;
  readonly logEndOffset: bigint;
}

/**
 * Measures `__consumer_offsets` against its live keys. A partition's live bytes are what
 * its groups' last OffsetCommit batches take (every key of a group in one batch, as the
 * coordinator writes them), computed once from Kafka's record formats, not read from the log.
 */
export class OffsetsLogGauge {
  private readonly liveBytes: number[];

  constructor(private readonly broker: Broker, shape: ChurnShape) {
    this.liveBytes = new Array<number>(broker.groups.offsetsTopic.partitionCount).fill(0);
    for (let g = 0; g < shape.groups; g++) this.liveBytes[broker.groups.offsetsTopic.partitionFor(churnGroupId(g))]! += lastBatchBytes(shape, g);
  }

  sizes(): OffsetsLogSize[] {
    return this.broker.describeTopic(CONSUMER_OFFSETS_TOPIC).partitions.map((p, i) => ({ partition: i, sizeBytes: p.sizeBytes, liveBytes: this.liveBytes[i]!, logEndOffset: p.logEndOffset }));
  }
}

function lastBatchBytes(shape: ChurnShape, group: number): number {
  const records = [];
  for (let p = 0; p < shape.partitions; p++) {
    records.push(offsetCommitRecord(churnGroupId(group), shape.topic, p, {
      offset: churnOffset(shape.rounds - 1, group, p), leaderEpoch: -1, metadata: '', commitTimestampMs: 0, expireTimestampMs: -1,
    }));
  }
  return encodeRecordBatch({ records: records.map((r) => ({ ...r, timestamp: 0 })), defaultTimestamp: 0 }).length;
}

/**
 * The bound a compacted partition stays within whatever the number of commits: its live
 * bytes once cleaned, as much again of dirty bytes (the cleaner takes a log once its dirty
 * ratio reaches min.cleanable.dirty.ratio, 0.5 by default) and the active segment, which
 * is never cleaned.
 */
export function compactedBoundBytes(size: OffsetsLogSize, segmentBytes: number): number {
  return 2 * size.liveBytes + segmentBytes;
}

/**
 * Lets the broker's cleaner passes run until every partition is within `boundBytes` of
 * it (compactedBoundBytes, say), or `deadlineMs` of real time went by; returns the
 * partitions still above. A pass fsyncs what it wrote (real time) and the broker
 * schedules the next one log.cleaner.backoff.ms after a pass ends, so the mock clock
 * keeps moving, a second at a time, while waiting.
 */
export async function cleanUntilWithin(time: MockTime, gauge: OffsetsLogGauge, boundBytes: (size: OffsetsLogSize) => number, deadlineMs: number): Promise<OffsetsLogSize[]> {
  const deadline = performance.now() + deadlineMs;
  const above = (): OffsetsLogSize[] => gauge.sizes().filter((s) => s.sizeBytes > boundBytes(s));
  while (above().length > 0 && performance.now() < deadline) {
    time.advance(1_000);
    await settle();
  }
  return above();
}
