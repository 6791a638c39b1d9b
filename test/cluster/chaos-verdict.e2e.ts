import { judge } from './chaos-verdict.js';
import { ACKED, FAILED, NOT_SENT } from './sequenced-producer.js';
import type { TopicContents } from './topic-read-back.js';

// The chaos test's judge on made-up read-backs: it must catch what the cluster could get
// wrong (a lost acknowledged record, a reordering) and tolerate what Kafka allows without
// idempotence (duplicates from retries, unacknowledged records that landed anyway).

function contents(partitions: Record<number, number[]>, probes = 0): TopicContents {
  return { partitions: new Map(Object.entries(partitions).map(([p, seqs]) => [Number(p), seqs])), probes, foreign: [], records: 0 };
}

function states(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('chaos verdict', () => {
  it('accepts a clean read-back', () => {
    const v = judge(states(ACKED, ACKED, ACKED, ACKED), contents({ 0: [0, 2], 1: [1, 3] }));
    expect(v).toMatchObject({ acked: 4, unacked: 0, missingAcked: 0, duplicates: 0, unackedPresent: 0, orderViolations: 0 });
  });

  it('reports an acknowledged record that is missing', () => {
    const v = judge(states(ACKED, ACKED, ACKED), contents({ 0: [0, 2] }));
    expect(v.missingAcked).toBe(1);
    expect(v.missingAckedExamples).toEqual([1]);
  });

  it('reports an acknowledged record that comes after a later one in its partition', () => {
    const v = judge(states(ACKED, ACKED, ACKED), contents({ 0: [0, 2, 1] }));
    expect(v.orderViolations).toBe(1);
    expect(v.orderViolationExamples[0]).toContain('1 after 2');
  });

  it('judges order by first occurrence: a retried batch written twice is a duplicate, not a reordering', () => {
    const v = judge(states(ACKED, ACKED, ACKED, ACKED), contents({ 0: [0, 1, 0, 1, 2, 3] }));
    expect(v).toMatchObject({ duplicates: 2, orderViolations: 0, missingAcked: 0 });
  });

  it('counts unacknowledged records that are present, and ignores them for order', () => {
    const v = judge(states(ACKED, FAILED, ACKED, NOT_SENT), contents({ 0: [0, 2, 1] }));
    expect(v).toMatchObject({ acked: 2, unacked: 1, unackedPresent: 1, orderViolations: 0, missingAcked: 0 });
  });

  it('flags sequence numbers beyond the run as foreign', () => {
    const v = judge(states(ACKED), contents({ 0: [0, 7] }));
    expect(v.foreign).toEqual(["1 sequence numbers beyond the run's 1"]);
  });
});
