import type { Producer } from 'kafkajs';

/** What became of each sequence number. */
export const NOT_SENT = 0;
export const IN_FLIGHT = 1;
export const ACKED = 2;
export const FAILED = 3;

/** Records spread over this many keys; all records of one key land on one partition. */
const KEYS = 64;

/** The key of record `seq`. */
export function keyOf(seq: number): string {
  return `k${seq % KEYS}`;
}

/** The partition record `seq` is sent to: fixed per key, so per-partition order is per-key order. */
export function partitionOf(seq: number, partitions: number): number {
  return (seq % KEYS) % partitions;
}

export interface SequencedMessage {
  readonly key: string;
  readonly value: string;
  readonly partition: number;
}

/**
 * Sends `messages` one partition at a time (each send awaited before the next), calling
 * `settled` with each partition's messages and whether kafkajs acknowledged them.
 *
 * Why not one send() for all partitions: kafkajs (2.2.4, issue #1303) keeps the
 * responses of the brokers that answered a multi-broker send and, when it retries after
 * another broker failed, skips those brokers, even when one of them has meanwhile become
 * the leader of the failed partitions. The send then resolves as acknowledged for records
 * that were never sent again: a loss the client reports as success, against any broker.
 * A send that names one partition goes to one broker, so its acknowledgement is true.
 */
export async function sendPerPartition(
  producer: Producer, topic: string, messages: readonly SequencedMessage[], settled: (sent: SequencedMessage[], acked: boolean, err?: unknown) => void,
): Promise<void> {
  const byPartition = new Map<number, SequencedMessage[]>();
  for (const m of messages) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
  for (const group of byPartition.values()) {
    try {
      await producer.send({ topic, acks: -1, timeout: 5000, messages: group });
      settled(group, true);
    } catch (err) {
      settled(group, false, err);
    }
  }
}

/**
 * Writes records 0..total-1 through one kafkajs producer with acks=all (idempotence off,
 * retries as the client is configured), value = the sequence number in decimal, in
 * chunks of `batchSize` records sent one partition at a time (sendPerPartition), each
 * send awaited before the next begins. So a partition receives its acknowledged records
 * in increasing sequence order: retries can duplicate a batch but never put a later one
 * before it.
 *
 * `states[seq]` says what the producer knows (NOT_SENT, IN_FLIGHT, ACKED, FAILED: the
 * send gave up after its retries; the records may or may not be in the log). A ceiling
 * holds the producer back until the chaos run allows more (`allowUpTo`), so that kills
 * fall while records are being written. One run() at a time.
 */
export class SequencedProducer {
  readonly states: Uint8Array;
  /** Records handed to send() calls that have settled, acknowledged or not. */
  sent = 0;
  acked = 0;
  failedSends = 0;
  lastError: string | undefined;
  private ceiling: number;
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly producer: Producer,
    readonly topic: string,
    readonly total: number,
    private readonly partitions: number,
    private readonly batchSize: number,
    initialCeiling: number,
  ) {
    this.states = new Uint8Array(total);
    this.ceiling = Math.min(initialCeiling, total);
  }

  /** Lets the producer go on up to sequence number `seq` (exclusive). */
  allowUpTo(seq: number): void {
    this.ceiling = Math.max(this.ceiling, Math.min(seq, this.total));
    this.wake?.();
  }

  /** Ends run() after the send in progress. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  async run(): Promise<void> {
    let next = 0;
    while (next < this.total && !this.stopped) {
      if (next >= this.ceiling) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const end = Math.min(next + this.batchSize, this.ceiling);
      const messages: SequencedMessage[] = [];
      for (let seq = next; seq < end; seq += 1) {
        messages.push({ key: keyOf(seq), value: String(seq), partition: partitionOf(seq, this.partitions) });
        this.states[seq] = IN_FLIGHT;
      }
      await sendPerPartition(this.producer, this.topic, messages, (sent, acked, err) => {
        for (const m of sent) this.states[Number(m.value)] = acked ? ACKED : FAILED;
        if (acked) {
          this.acked += sent.length;
        } else {
          this.failedSends += 1;
          this.lastError = err instanceof Error ? err.message : String(err);
        }
      });
      next = end;
      this.sent = end;
    }
  }
}
