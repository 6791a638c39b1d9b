import { join } from 'node:path';
import { SILENT_STORAGE_LOGGER, type StorageLogger } from '../logger.js';
import { CheckpointFile, type CheckpointFormat, parseSafeInteger, splitFields } from '../checkpoint/checkpoint-file.js';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
/** OffsetForLeaderEpoch's "unknown": the epoch and the end offset of an answer the cache cannot give. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;
/** Leader epochs are int32 on the wire and in batch headers. */
const MAX_EPOCH = 0x7fffffff;

/** A leader epoch and the first offset written in it. Offsets are numbers, as everywhere inside the log. */
export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** The answer to OffsetForLeaderEpoch for one partition. */
export interface EpochEndOffset {
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

const FORMAT: CheckpointFormat<EpochEntry> = {
  version: 0,
  format: (entry) => `${entry.epoch} ${entry.startOffset}`,
  parse: (line) => {
    const fields = splitFields(line);
    if (fields.length !== 2) return undefined;
    const epoch = parseSafeInteger(fields[0]!);
    const startOffset = parseSafeInteger(fields[1]!);
    return epoch === undefined || startOffset === undefined || !isValidEntry(epoch, startOffset) ? undefined : { epoch, startOffset };
  },
};

function isValidEntry(epoch: number, startOffset: number): boolean {
  return Number.isInteger(epoch) && epoch >= 0 && epoch <= MAX_EPOCH && Number.isSafeInteger(startOffset) && startOffset >= 0;
}

/** The `leader-epoch-checkpoint` file of the partition directory `dir`. */
export function leaderEpochCheckpointFile(dir: string): CheckpointFile<EpochEntry> {
  return new CheckpointFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), FORMAT);
}

/**
 * A replica's leader epoch cache (Kafka's LeaderEpochFileCache): for each leader epoch
 * that wrote to this log, the offset of its first record. Followers use it to find where
 * their log diverges from the leader's (KIP-101, KIP-279: OffsetForLeaderEpoch answers
 * from `endOffsetFor`), consumers to validate positions after a leader change (KIP-320).
 *
 * Persisted as `leader-epoch-checkpoint` in the partition directory, in Kafka's
 * checkpoint format version 0 with one `<epoch> <startOffset>` line per entry, e.g.
 *
 *   0
 *   2
 *   3 0
 *   5 1200
 *
 * Invariants: entries are sorted with epochs and start offsets both strictly increasing
 * (assign drops whatever a new entry contradicts). Every change is written to the file,
 * atomically and synced, before the method returns (changes are rare: a new epoch, a
 * truncation, a move of the log start), unless the caller passes `flush = false` to
 * group several changes under one `flush()`.
 *
 * The owning PartitionLog calls it on the one event loop. `needsUpdate` and
 * `latestEpoch` are read on every leader append and allocate nothing.
 */
export class LeaderEpochCache {
  private readonly list: EpochEntry[] = [];
  /** The latest entry's fields (UNDEFINED when empty), kept apart for the append path. */
  private latestEpochValue = UNDEFINED_EPOCH;
  private latestStartOffset = UNDEFINED_EPOCH_OFFSET;

  /** A cache over `file`, holding `entries` as assign would leave them (nothing is written). */
  constructor(
    private readonly file: CheckpointFile<EpochEntry>,
    entries: readonly EpochEntry[] = [],
    private readonly logger: StorageLogger = SILENT_STORAGE_LOGGER,
  ) {
    for (const entry of entries) this.assign(entry.epoch, entry.startOffset, false);
  }

  /** The latest epoch with an entry, -1 when the cache is empty. */
  get latestEpoch(): number {
    return this.latestEpochValue;
  }

  latestEntry(): EpochEntry | undefined {
    return this.list[this.list.length - 1];
  }

  /** The entry of `epoch`, if the cache has one. */
  entry(epoch: number): EpochEntry | undefined {
    return this.list.find((e) => e.epoch === epoch);
  }

  /** A copy of the entries, oldest first. */
  entries(): EpochEntry[] {
    return this.list.slice();
  }

  /** Whether assign(epoch, startOffset) would change anything (Kafka's rule: a different epoch, or the same one starting earlier). */
  needsUpdate(epoch: number, startOffset: number): boolean {
    return epoch !== this.latestEpochValue || startOffset < this.latestStartOffset;
  }

  /**
   * Records that `epoch` starts at `startOffset`. Ignored when it is the latest epoch
   * starting at or before that offset. Otherwise entries it contradicts are dropped
   * first, newest first: those with an epoch >= `epoch` or a start offset >=
   * `startOffset` (a new leader's epoch after a follower truncated, or the same epoch
   * found to start earlier). Returns whether the cache changed. Throws RangeError for an
   * epoch outside [0, 2^31 - 1] or an offset outside [0, 2^53 - 1].
   */
  assign(epoch: number, startOffset: number, flush = true): boolean {
    if (!isValidEntry(epoch, startOffset)) throw new RangeError(`invalid leader epoch entry: epoch ${epoch}, start offset ${startOffset}`);
    if (!this.needsUpdate(epoch, startOffset)) return false;
    let keep = this.list.length;
    while (keep > 0 && (this.list[keep - 1]!.epoch >= epoch || this.list[keep - 1]!.startOffset >= startOffset)) keep--;
    const removed = this.list.splice(keep);
    // Replacing an entry at the same offset is a new leader that had not written yet.
    if (removed.length > 1 || (removed.length === 1 && removed[0]!.startOffset !== startOffset)) {
      this.logger.warn(`leader epoch cache ${this.file.path}: epoch ${epoch} at ${startOffset} replaces ${describe(removed)}`);
    }
    this.list.push({ epoch, startOffset });
    return this.changed(flush);
  }

  /**
   * Kafka's LeaderEpochFileCache.endOffsetFor: the largest epoch <= `requestedEpoch`
   * and the offset where it ended, i.e. the start offset of the next higher epoch, or
   * `logEndOffset` when `requestedEpoch` is the latest epoch. When `requestedEpoch` is
   * below every epoch, it is returned with the earliest entry's start offset (the
   * earlier epochs' data is gone; the follower truncates to where the log now starts).
   * `UNDEFINED` for both when the cache is empty, `requestedEpoch` is -1, or it is above
   * the latest epoch.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH || this.list.length === 0) return UNDEFINED_END_OFFSET;
    if (requestedEpoch === this.latestEpochValue) return { leaderEpoch: requestedEpoch, endOffset: logEndOffset };
    let higher = 0;
    while (higher < this.list.length && this.list[higher]!.epoch <= requestedEpoch) higher++;
    if (higher === this.list.length) return UNDEFINED_END_OFFSET;
    const endOffset = this.list[higher]!.startOffset;
    return { leaderEpoch: higher === 0 ? requestedEpoch : this.list[higher - 1]!.epoch, endOffset };
  }

  /** Drops the entries starting at or after `endOffset` (the log was truncated to end there). */
  truncateFromEnd(endOffset: number, flush = true): boolean {
    let keep = this.list.length;
    while (keep > 0 && this.list[keep - 1]!.startOffset >= endOffset) keep--;
    if (keep === this.list.length) return false;
    this.list.length = keep;
    return this.changed(flush);
  }

  /**
   * The log now starts at `startOffset`: entries starting at or below it are dropped,
   * except the last of them, which now starts at `startOffset` (its epoch still owns the
   * records from there until the next entry).
   */
  truncateFromStart(startOffset: number, flush = true): boolean {
    let below = 0;
    while (below < this.list.length && this.list[below]!.startOffset <= startOffset) below++;
    if (below === 0 || (below === 1 && this.list[0]!.startOffset === startOffset)) return false;
    const epoch = this.list[below - 1]!.epoch;
    this.list.splice(0, below, { epoch, startOffset });
    return this.changed(flush);
  }

  /** Empties the cache and its file. */
  clearAndFlush(): void {
    this.list.length = 0;
    this.changed(true);
  }

  /** Writes the entries to the file (atomically, synced unless `sync` is false). */
  flush(sync = true): void {
    this.file.write(this.list, sync);
  }

  private changed(flush: boolean): true {
    const latest = this.list[this.list.length - 1];
    this.latestEpochValue = latest?.epoch ?? UNDEFINED_EPOCH;
    this.latestStartOffset = latest?.startOffset ?? UNDEFINED_EPOCH_OFFSET;
    if (flush) this.flush();
    return true;
  }
}

const UNDEFINED_END_OFFSET: EpochEndOffset = Object.freeze({ leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });

function describe(entries: readonly EpochEntry[]): string {
  return entries.map((e) => `${e.epoch}@${e.startOffset}`).join(', ');
}
