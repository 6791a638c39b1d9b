import { ACKED, FAILED } from './sequenced-producer.js';
import type { TopicContents } from './topic-read-back.js';

/** What a read-back says about the producer's acknowledgements. */
export interface ChaosVerdict {
  readonly acked: number;
  /** Records whose send gave up (not acknowledged). */
  readonly unacked: number;
  /** Acknowledged records not found in any partition: must be 0 (acks=all, min.insync.replicas=2). */
  readonly missingAcked: number;
  readonly missingAckedExamples: readonly number[];
  /** Occurrences beyond the first of any sequence number (retries without idempotence may write a batch twice). */
  readonly duplicates: number;
  /** Records whose send gave up but that are in the log anyway (Kafka allows this: the write may have landed). */
  readonly unackedPresent: number;
  /**
   * First occurrences of acknowledged records that come after a larger acknowledged
   * sequence number in the same partition: must be 0 (each send awaited before the next).
   */
  readonly orderViolations: number;
  readonly orderViolationExamples: readonly string[];
  /** Records that are not this run's (parse failures), and probes written by the failover measurement. */
  readonly foreign: readonly string[];
  readonly probes: number;
}

/**
 * Compares the producer's per-record outcome with what the topic holds. Each record is
 * judged by its first occurrence: a retried batch may appear twice, and only its first
 * copy says where the record was ordered.
 */
export function judge(states: Uint8Array, contents: TopicContents): ChaosVerdict {
  const seen = new Uint8Array(states.length);
  let duplicates = 0;
  let orderViolations = 0;
  const orderViolationExamples: string[] = [];
  let outOfRange = 0;
  for (const [partition, seqs] of [...contents.partitions].sort((a, b) => a[0] - b[0])) {
    let lastAcked = -1;
    for (let i = 0; i < seqs.length; i += 1) {
      const seq = seqs[i]!;
      if (seq >= states.length) {
        outOfRange += 1;
        continue;
      }
      if (seen[seq]! > 0) {
        duplicates += 1;
        if (seen[seq]! < 255) seen[seq]! += 1;
        continue;
      }
      seen[seq] = 1;
      if (states[seq] !== ACKED) continue;
      if (seq < lastAcked) {
        orderViolations += 1;
        if (orderViolationExamples.length < 10) orderViolationExamples.push(`partition ${partition}: ${seq} after ${lastAcked} (record ${i} of the partition)`);
      }
      lastAcked = Math.max(lastAcked, seq);
    }
  }
  let acked = 0;
  let unacked = 0;
  let missingAcked = 0;
  let unackedPresent = 0;
  const missingAckedExamples: number[] = [];
  for (let seq = 0; seq < states.length; seq += 1) {
    if (states[seq] === ACKED) {
      acked += 1;
      if (seen[seq] === 0) {
        missingAcked += 1;
        if (missingAckedExamples.length < 20) missingAckedExamples.push(seq);
      }
    } else if (states[seq] === FAILED) {
      unacked += 1;
      if (seen[seq]! > 0) unackedPresent += 1;
    }
  }
  const foreign = outOfRange > 0 ? [...contents.foreign, `${outOfRange} sequence numbers beyond the run's ${states.length}`] : contents.foreign;
  return { acked, unacked, missingAcked, missingAckedExamples, duplicates, unackedPresent, orderViolations, orderViolationExamples, foreign, probes: contents.probes };
}
