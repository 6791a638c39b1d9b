/** How many of a producer's latest batches are kept for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_TO_RETAIN = 5;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_COORDINATOR_EPOCH = -1;
/** currentTxnFirstOffset of a producer without an open transaction. */
export const NO_TXN = -1;
const INT32_MAX = 0x7fffffff;

/**
 * One written batch of a producer, as Kafka's BatchMetadata: its last sequence and last
 * offset, the offset delta between its first and last record, and its max timestamp.
 * Immutable: entries share them when copied.
 */
export class BatchMetadata {
  constructor(
    readonly lastSeq: number,
    readonly lastOffset: number,
    readonly offsetDelta: number,
    readonly timestamp: number,
  ) {}

  get firstSeq(): number {
    return decrementSequence(this.lastSeq, this.offsetDelta);
  }

  get firstOffset(): number {
    return this.lastOffset - this.offsetDelta;
  }
}

/** The sequence `increment` after `sequence`, wrapping past int32 max to 0 (Kafka's incrementSequence). */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

/** The sequence `decrement` before `sequence`, wrapping below 0 to int32 max. */
export function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? INT32_MAX - (decrement - sequence) + 1 : sequence - decrement;
}

/** Whether `next` directly follows `last` (with int32 wraparound). */
export function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === INT32_MAX);
}

/**
 * What a partition knows about one producer id (Kafka's ProducerStateEntry): its current
 * epoch, its last BATCHES_TO_RETAIN batches (oldest first; an epoch change forgets them),
 * the coordinator epoch of its last transaction marker, the max timestamp of its last
 * write and the first offset of its open transaction (NO_TXN when none).
 *
 * Offsets and timestamps are numbers like everywhere in the log (exact up to 2^53 - 1).
 * An append validates against a copy (`copy()`) and the copy replaces the live entry only
 * once the append is written, so a failed append leaves the state as it was.
 */
export class ProducerStateEntry {
  constructor(
    readonly producerId: bigint,
    public producerEpoch: number = NO_PRODUCER_EPOCH,
    public coordinatorEpoch: number = NO_COORDINATOR_EPOCH,
    public lastTimestamp: number = -1,
    public currentTxnFirstOffset: number = NO_TXN,
    public batches: BatchMetadata[] = [],
  ) {}

  copy(): ProducerStateEntry {
    return new ProducerStateEntry(this.producerId, this.producerEpoch, this.coordinatorEpoch, this.lastTimestamp, this.currentTxnFirstOffset, this.batches.slice());
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  get lastSeq(): number {
    return this.batches.length === 0 ? NO_SEQUENCE : this.batches[this.batches.length - 1]!.lastSeq;
  }

  /** Last offset of the last data batch, -1 when none is retained. */
  get lastDataOffset(): number {
    return this.batches.length === 0 ? -1 : this.batches[this.batches.length - 1]!.lastOffset;
  }

  get lastOffsetDelta(): number {
    return this.batches.length === 0 ? 0 : this.batches[this.batches.length - 1]!.offsetDelta;
  }

  /** A new epoch forgets the batches of the previous one. */
  private maybeUpdateEpoch(epoch: number): void {
    if (epoch === this.producerEpoch) return;
    this.producerEpoch = epoch;
    this.batches = [];
  }

  addBatch(epoch: number, lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateEpoch(epoch);
    if (this.batches.length === BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(new BatchMetadata(lastSeq, lastOffset, offsetDelta, timestamp));
    this.lastTimestamp = timestamp;
  }

  /** A transaction marker: the transaction ends, the epochs and timestamp follow the marker. */
  endTransaction(epoch: number, coordinatorEpoch: number, timestamp: number): void {
    this.maybeUpdateEpoch(epoch);
    this.coordinatorEpoch = coordinatorEpoch;
    this.lastTimestamp = timestamp;
    this.currentTxnFirstOffset = NO_TXN;
  }

  /** The retained batch with exactly these sequences in the current epoch, if any (a retried write). */
  findDuplicate(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (epoch !== this.producerEpoch) return undefined;
    for (const batch of this.batches) if (batch.lastSeq === lastSeq && batch.firstSeq === firstSeq) return batch;
    return undefined;
  }
}
