import type { Time } from '../../time.js';
import type { Scheduler } from '../../timer/scheduler.js';
import type { LogConfig } from '../config/log-config.js';
import type { StorageLogger } from '../logger.js';
import type { OpenFiles } from '../segment/open-files.js';

export interface PartitionLogOptions {
  readonly config?: LogConfig;
  readonly time?: Time;
  /** Drives flush.ms; without one, flush.ms is checked on append and by flushIfDue(). */
  readonly scheduler?: Scheduler;
  readonly logger?: StorageLogger;
  /**
   * producer.id.expiration.ms: a producer without an open transaction whose last write is
   * older is forgotten by removeExpiredProducers (default 86,400,000, as Kafka).
   */
  readonly producerIdExpirationMs?: number;
  /** The pool bounding open segment files; PROCESS_OPEN_FILES (shared by every log of the process) by default. */
  readonly openFiles?: OpenFiles;
}

/**
 * Who appends: a client's produce (sequence and epoch checks), a broker coordinator
 * (transaction markers, transactional offset commits: epoch checks, no sequences), as
 * Kafka's AppendOrigin. Follower appends go through appendAsFollower.
 */
export type AppendOrigin = 'client' | 'coordinator';

/** An aborted transaction as the `.txnindex` holds it (Kafka's AbortedTxn). */
export interface AbortedTxn {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
  /** The offset of its ABORT marker. */
  readonly lastOffset: bigint;
  /** The LSO when the marker was written. */
  readonly lastStableOffset: bigint;
}

/** One producer's state on a partition (Kafka's DescribeProducers view of ProducerStateEntry). */
export interface ProducerStateInfo {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** Last sequence written, -1 when none (coordinator-origin writes only). */
  readonly lastSequence: number;
  /** Max timestamp of its last batch. */
  readonly lastTimestamp: bigint;
  readonly coordinatorEpoch: number;
  /** First offset of its open transaction, -1 when none. */
  readonly currentTxnStartOffset: bigint;
}

export interface LogAppendInfo {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  /** The broker time stamped on the batches with LogAppendTime, else -1. */
  readonly logAppendTime: bigint;
  readonly logStartOffset: bigint;
  readonly recordCount: number;
  /**
   * The batch retried a write the log already holds (one of the producer's last five
   * batches, same sequences): nothing was written; first/lastOffset are the original's.
   */
  readonly duplicate?: boolean;
  /**
   * Resolves once the append is as durable as the flush policy promises: after the
   * fdatasync covering it when flush.messages / flush.ms called for one, at once
   * otherwise. Rejects with KAFKA_STORAGE_ERROR if that fsync failed.
   */
  readonly durable: Promise<void>;
}

/** Where a fetch started, so a delayed fetch can count bytes without another lookup. */
export interface LogOffsetMetadata {
  readonly messageOffset: bigint;
  readonly segmentBaseOffset: bigint;
  readonly relativePositionInSegment: number;
}

export interface ReadOptions {
  /** Exclusive upper bound: no batch holding an offset >= maxOffset is returned. */
  readonly maxOffset?: bigint;
  /** Return the first batch whole even when it is larger than maxBytes. */
  readonly minOneMessage: boolean;
  /**
   * Read into this caller-owned buffer when it is large enough, instead of a fresh one:
   * `records` is then a view of it, valid until the caller reuses it (e.g. a pool that
   * takes the buffer back once the response is on the socket). Fresh large buffers cost
   * page faults that a copy-based fetch path otherwise pays on every read.
   */
  readonly buffer?: Buffer;
}

export interface FetchDataInfo {
  readonly fetchOffsetMetadata: LogOffsetMetadata;
  /** Whole stored batches, byte for byte as on disk. */
  readonly records: Buffer;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
}

export interface TimestampAndOffset {
  readonly timestamp: bigint;
  readonly offset: bigint;
}

export interface SegmentInfo {
  readonly baseOffset: bigint;
  readonly nextOffset: bigint;
  readonly sizeInBytes: number;
  /** Largest batch max timestamp, -1 when the segment is empty. */
  readonly largestTimestamp: bigint;
  /** When it was created or last stopped being the active segment (see SegmentState.lastModifiedMs). */
  readonly lastModifiedMs: number;
}

/** A leader epoch and the offset of the first record written in it. */
export interface LeaderEpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

/** OffsetForLeaderEpoch's answer for one partition; -1 and -1n when unknown. */
export interface LeaderEpochEndOffset {
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

/** Where compaction of a log stands (see PartitionLog.cleanability). */
export interface LogCleanability {
  /** Whether cleanup.policy includes compact; every other field is meaningful only then. */
  readonly compacted: boolean;
  /** Start of the dirty section: the cleaner checkpoint, or the log start. */
  readonly firstDirtyOffset: bigint;
  /** First offset the cleaner may not touch (active segment, high watermark, min.compaction.lag.ms). */
  readonly firstUncleanableOffset: bigint;
  readonly cleanBytes: number;
  readonly cleanableBytes: number;
  /** cleanableBytes / (cleanBytes + cleanableBytes), 0 when both are 0. */
  readonly dirtyRatio: number;
  /** How long past max.compaction.lag.ms the oldest dirty batch is; 0 when not overdue. */
  readonly maxCompactionDelayMs: number;
  /** Something is cleanable and the ratio reached min.cleanable.dirty.ratio, or the lag is overdue. */
  readonly needsCleaning: boolean;
}
