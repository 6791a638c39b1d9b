import { afterEach, describe, expect, it } from '@jest/globals';
import { CoordinatorHarness, settle } from './testing/coordinator-harness.js';
import {
  churnGroupId, churnOffset, cleanUntilWithin, commitChurnRound, compactedBoundBytes, OffsetsLogGauge, type ChurnShape,
} from './testing/offsets-churn.js';

/**
 * `__consumer_offsets` under a stream of commits: the broker's own cleaner pass (every
 * log.cleaner.backoff.ms on its timer, here a mock clock) keeps every offsets partition
 * within a bound set by its live keys however many commits went in, and a broker
 * restarted on the compacted logs serves every group's last commits.
 */
let c: CoordinatorHarness;
let gauge: OffsetsLogGauge;
afterEach(async () => c.close());

/** Kafka's log.cleaner.backoff.ms, the broker's pause between cleaner passes. */
const CLEANER_BACKOFF_MS = 15_000;
const OFFSETS_PARTITIONS = 5;
/** Small enough that every round rolls segments. */
const SEGMENT_BYTES = 32 * 1024;
/** 100 groups x 100 partitions x 20 rounds: 200,000 commits (the bench runs 100 rounds, 1,000,000). */
const SHAPE: ChurnShape = { topic: 'orders', groups: 100, partitions: 100, rounds: 20 };
const PASS_DEADLINE_MS = 20_000;

describe('__consumer_offsets under many commits', () => {
  it('stays within a bound set by its live keys, not by its commits, and a restarted broker reads every last commit back', async () => {
    c = await CoordinatorHarness.start({ offsetsTopicNumPartitions: OFFSETS_PARTITIONS, offsetsTopicSegmentBytes: SEGMENT_BYTES });
    await c.h.broker.createTopic({ name: SHAPE.topic, partitions: SHAPE.partitions });
    gauge = new OffsetsLogGauge(c.h.broker, SHAPE);
    // Every offsets partition holds some groups: the bound is about live keys, not an empty log.
    expect(gauge.sizes().every((s) => s.liveBytes > 0)).toBe(true);

    let largestBeforePassBytes = 0;
    for (let round = 0; round < SHAPE.rounds; round++) {
      await commitChurnRound(c.groups, SHAPE, round);
      largestBeforePassBytes = Math.max(largestBeforePassBytes, ...gauge.sizes().map((s) => s.sizeBytes));
      c.time.advance(CLEANER_BACKOFF_MS);
      expect({ round, outOfBound: await cleanUntilWithin(c.time, gauge, (s) => compactedBoundBytes(s, SEGMENT_BYTES), PASS_DEADLINE_MS) }).toEqual({ round, outOfBound: [] });
    }

    const sizes = gauge.sizes();
    const commits = SHAPE.groups * SHAPE.partitions * SHAPE.rounds;
    expect(sizes.reduce((n, s) => n + s.logEndOffset, 0n)).toBe(BigInt(commits)); // every commit went through the log
    const boundBytes = sizes.reduce((n, s) => n + compactedBoundBytes(s, SEGMENT_BYTES), 0);
    const liveBytes = sizes.reduce((n, s) => n + s.liveBytes, 0);
    // Uncompacted, the log would hold every round's batches: the bound is far below that.
    expect(boundBytes * 5).toBeLessThan(liveBytes * SHAPE.rounds);
    // Between passes a partition grows by at most one round of commits.
    expect(largestBeforePassBytes).toBeLessThanOrEqual(Math.max(...sizes.map((s) => compactedBoundBytes(s, SEGMENT_BYTES) + s.liveBytes)));

    await c.h.restart();
    const deadline = performance.now() + PASS_DEADLINE_MS;
    const loading = (): boolean => Array.from({ length: SHAPE.groups }, (_, g) => c.groups.fetchOffsets(churnGroupId(g), null, false).errorCode).some((e) => e !== 0);
    while (loading() && performance.now() < deadline) {
      c.time.advance(0); // loads read one offsets.load.buffer.size slice per timer pass
      await settle();
    }
    const last = SHAPE.rounds - 1;
    for (let g = 0; g < SHAPE.groups; g++) {
      const fetched = c.groups.fetchOffsets(churnGroupId(g), null, false);
      expect(fetched.errorCode).toBe(0);
      const got = fetched.offsets.map((o) => [o.topic, o.partition, o.offset, o.errorCode]).sort((a, b) => (a[1] as number) - (b[1] as number));
      expect({ group: g, got }).toEqual({ group: g, got: Array.from({ length: SHAPE.partitions }, (_, p) => [SHAPE.topic, p, churnOffset(last, g, p), 0]) });
    }
  }, 60_000);
});
