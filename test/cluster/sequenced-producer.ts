import type { Producer } from 'kafkajs';

/** What became of each sequence number. */
export const NOT_SENT = 0;
export const IN_FLIGHT = 1;
export const ACKED = 2;
export const FAILED = 3;

/** Records spread over this many keys; all records of one key land on one partition. */
const KEYS = 64;

/** The key of record `seq`: the default partitioner maps it to a fixed partition. */
export function keyOf(seq: number): string {
  return `k${seq % KEYS}`;
}

/**
 * Writes records 0..total-1 through one kafkajs producer with acks=all (idempotence off,
 * retries as the client is configured), value = the sequence number in decimal, in sends
 * of `batchSize` records, each awaited before the next begins. So a partition receives
 * its acknowledged records in increasing sequence order: retries can duplicate a batch
 * but never put a later one before it.
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
      const messages: { key: string; value: string }[] = [];
      for (let seq = next; seq < end; seq += 1) {
        messages.push({ key: keyOf(seq), value: String(seq) });
        this.states[seq] = IN_FLIGHT;
      }
      let outcome = ACKED;
      try {
        await this.producer.send({ topic: this.topic, acks: -1, timeout: 5000, messages });
        this.acked += end - next;
      } catch (err) {
        outcome = FAILED;
        this.failedSends += 1;
        this.lastError = err instanceof Error ? err.message : String(err);
      }
      this.states.fill(outcome, next, end);
      next = end;
      this.sent = end;
    }
  }
}
