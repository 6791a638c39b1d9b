import { CoordinatorHarness } from '../../libs/broker-core/src/group/testing/coordinator-harness.js';
import {
  churnGroupId, churnOffset, cleanUntilWithin, commitChurnRound, compactedBoundBytes, OffsetsLogGauge, type ChurnShape,
} from '../../libs/broker-core/src/group/testing/offsets-churn.js';

/**
 * `__consumer_offsets` under 1,000,000 commits (the full run of the compaction spec's
 * workload, group/offsets-compaction.spec.ts): commits through the coordinator, the
 * broker's own cleaner passes on its (mock) timer after every round, the log's size
 * before each pass and after the last, against the bytes the commits wrote and the live
 * keys' bytes; then a restart on the same data dir, the time until every group's offsets
 * are loaded, and a check that each equals its last commit.
 */
export interface CompactionResult {
  readonly commits: number;
  readonly segmentBytes: number;
  readonly writtenBytes: number;
  readonly liveBytes: number;
  readonly boundBytes: number;
  readonly largestBeforePassBytes: number;
  /** After the last round's pass. */
  readonly boundedBytes: number;
  /** After further passes, once nothing but one copy of each key and the active segments are left (or SETTLE_MS went by). */
  readonly finalBytes: number;
  readonly commitsPerSec: number;
  readonly totalMs: number;
  readonly reloadMs: number;
}

const OFFSETS_PARTITIONS = 5;
const CLEANER_BACKOFF_MS = 15_000;
const PASS_DEADLINE_MS = 60_000;
const SETTLE_MS = 10_000;

export async function offsetsCompactionBench(shape: ChurnShape, segmentBytes: number, progress: (line: string) => void): Promise<CompactionResult> {
  const c = await CoordinatorHarness.start({ offsetsTopicNumPartitions: OFFSETS_PARTITIONS, offsetsTopicSegmentBytes: segmentBytes });
  try {
    await c.h.broker.createTopic({ name: shape.topic, partitions: shape.partitions });
    const gauge = new OffsetsLogGauge(c.h.broker, shape);
    const started = performance.now();
    let commitMs = 0;
    let largestBeforePassBytes = 0;
    for (let round = 0; round < shape.rounds; round++) {
      const roundStarted = performance.now();
      await commitChurnRound(c.groups, shape, round);
      commitMs += performance.now() - roundStarted;
      const before = gauge.sizes().reduce((n, s) => n + s.sizeBytes, 0);
      largestBeforePassBytes = Math.max(largestBeforePassBytes, before);
      c.time.advance(CLEANER_BACKOFF_MS);
      const above = await cleanUntilWithin(c.time, gauge, (s) => compactedBoundBytes(s, segmentBytes), PASS_DEADLINE_MS);
      if (above.length > 0) throw new Error(`round ${round}: partitions above their bound after ${PASS_DEADLINE_MS} ms: ${JSON.stringify(above, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
      if ((round + 1) % 10 === 0) progress(`  round ${round + 1}/${shape.rounds}: ${before} bytes before the pass, ${gauge.sizes().reduce((n, s) => n + s.sizeBytes, 0)} after`);
    }
    const totalMs = performance.now() - started;
    const boundedBytes = gauge.sizes().reduce((n, s) => n + s.sizeBytes, 0);
    // More passes, until one copy of every key and the active segment are left (a pass may have taken part of a round, leaving too little dirty for the next): best effort.
    await cleanUntilWithin(c.time, gauge, (s) => s.liveBytes + segmentBytes, SETTLE_MS);
    const sizes = gauge.sizes();
    const liveBytes = sizes.reduce((n, s) => n + s.liveBytes, 0);
    const result = {
      commits: shape.groups * shape.partitions * shape.rounds, segmentBytes,
      writtenBytes: liveBytes * shape.rounds, liveBytes, boundBytes: sizes.reduce((n, s) => n + compactedBoundBytes(s, segmentBytes), 0),
      largestBeforePassBytes, boundedBytes, finalBytes: sizes.reduce((n, s) => n + s.sizeBytes, 0),
      commitsPerSec: (shape.groups * shape.partitions * shape.rounds) / (commitMs / 1000), totalMs,
    };

    await c.h.restart();
    const reloadStarted = performance.now();
    const deadline = reloadStarted + PASS_DEADLINE_MS;
    const loaded = (): boolean => Array.from({ length: shape.groups }, (_, g) => c.groups.fetchOffsets(churnGroupId(g), null, false).errorCode).every((e) => e === 0);
    while (!loaded()) {
      if (performance.now() > deadline) throw new Error('groups still loading after the restart');
      c.time.advance(0);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const reloadMs = performance.now() - reloadStarted;
    for (let g = 0; g < shape.groups; g++) {
      const fetched = c.groups.fetchOffsets(churnGroupId(g), null, false).offsets;
      const wrong = fetched.find((o) => o.offset !== churnOffset(shape.rounds - 1, g, o.partition));
      if (fetched.length !== shape.partitions || wrong !== undefined) throw new Error(`after the restart ${churnGroupId(g)} has ${fetched.length} offsets, ${wrong === undefined ? '' : `${wrong.partition} at ${wrong.offset}`}`);
    }
    return { ...result, reloadMs };
  } finally {
    await c.close();
  }
}
