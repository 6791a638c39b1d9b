import { SILENT_STORAGE_LOGGER, type StorageLogger } from '../logger.js';
import type { PartitionLog } from '../partition/partition-log.js';
import { CleanerStats } from './cleaner-stats.js';
import type { LogCleaning } from './log-cleaning.js';
import { DEFAULT_OFFSET_MAP_BYTES, DEFAULT_OFFSET_MAP_LOAD_FACTOR, OffsetMap } from './offset-map.js';

export interface LogCleanerOptions {
  readonly logger?: StorageLogger;
  /** Memory of the offset map (Kafka's log.cleaner.dedupe.buffer.size); 16 MiB by default, allocated on first use. */
  readonly offsetMapBytes?: number;
  readonly offsetMapLoadFactor?: number;
  /** Source bytes per slice (see LogCleaning); 1 MiB by default. */
  readonly sliceBytes?: number;
  /** Gives the event loop a turn between slices; setImmediate by default. */
  readonly yieldToEventLoop?: () => Promise<void>;
}

/** A log offered to a cleaner pass, with the name its errors are logged under. */
export interface CleanerCandidate {
  readonly name: string;
  readonly log: PartitionLog;
}

const setImmediateTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Compacts logs whose cleanup.policy includes compact (Kafka's LogCleaner with one
 * cleaner thread, and the selection of LogCleanerManager): a pass takes every log that
 * needs cleaning (dirty ratio at least min.cleanable.dirty.ratio, or a dirty batch
 * older than max.compaction.lag.ms), filthiest first, and cleans them one at a time
 * with one offset map, each in slices with a turn of the event loop between them (see
 * LogCleaning). The broker runs a pass periodically on its timer.
 *
 * Concurrency: one pass at a time (the broker's PeriodicTask never overlaps runs); the
 * logs go on serving appends and reads between slices, and abort the pass themselves
 * when they truncate, delete segments or close. `close` aborts the pass under way.
 */
export class LogCleaner {
  private map: OffsetMap | undefined;
  private current: LogCleaning | undefined;
  private closed = false;
  private readonly logger: StorageLogger;
  private readonly yieldToEventLoop: () => Promise<void>;

  constructor(private readonly options: LogCleanerOptions = {}) {
    this.logger = options.logger ?? SILENT_STORAGE_LOGGER;
    this.yieldToEventLoop = options.yieldToEventLoop ?? setImmediateTurn;
  }

  /**
   * One pass over `candidates`: those that need cleaning, filthiest first; a failure is
   * logged under the log's name and the pass goes on. Returns the summed stats.
   */
  async cleanLogs(candidates: Iterable<CleanerCandidate>): Promise<CleanerStats> {
    const total = new CleanerStats();
    const due: { candidate: CleanerCandidate; ratio: number }[] = [];
    for (const candidate of candidates) {
      try {
        const state = candidate.log.cleanability();
        if (state.needsCleaning) due.push({ candidate, ratio: state.dirtyRatio });
      } catch (err) {
        this.logger.error(`log cleaner: cannot assess ${candidate.name}`, err);
      }
    }
    due.sort((a, b) => b.ratio - a.ratio);
    for (const { candidate } of due) {
      if (this.closed) break;
      try {
        // Earlier logs took time: still due?
        if (!candidate.log.cleanability().needsCleaning) continue;
        const stats = await this.clean(candidate.log);
        if (stats !== undefined) total.add(stats);
      } catch (err) {
        total.logsAborted++;
        this.logger.error(`log cleaner: cleaning ${candidate.name} failed`, err);
      }
    }
    return total;
  }

  /**
   * Cleans `log` now, whatever its dirty ratio; undefined when it is not compacted or has
   * nothing cleanable. Rejects when the pass fails (the log is left as it was, or with
   * some of its segments already cleaned: both are consistent).
   */
  async clean(log: PartitionLog): Promise<CleanerStats | undefined> {
    if (this.closed) return undefined;
    this.map ??= new OffsetMap(this.options.offsetMapBytes ?? DEFAULT_OFFSET_MAP_BYTES, this.options.offsetMapLoadFactor ?? DEFAULT_OFFSET_MAP_LOAD_FACTOR);
    const cleaning = log.beginCleaning(this.map, { sliceBytes: this.options.sliceBytes });
    if (cleaning === undefined) return undefined;
    this.current = cleaning;
    try {
      while (!(await cleaning.step())) await this.yieldToEventLoop();
    } finally {
      this.current = undefined;
    }
    const { stats } = cleaning;
    this.logger.info(
      `log cleaner: ${log.dir} ${stats.logsCleaned > 0 ? 'cleaned' : 'aborted'} in ${Math.round(stats.durationMs)} ms: ` +
        `read ${stats.bytesRead} bytes, wrote ${stats.bytesWritten}, removed ${stats.recordsRemoved} of ${stats.recordsRead} records`,
    );
    return stats;
  }

  /** Aborts the pass under way; later passes do nothing. */
  close(): void {
    this.closed = true;
    this.current?.abort();
  }
}
