export * from './batch/index.js';
export * from './config/index.js';
export * from './logger.js';
export { offsetFileName, parseLogFileName, partitionDirName } from './segment/file-names.js';
export { OffsetIndex, type OffsetPosition } from './segment/offset-index.js';
export { TimeIndex, type TimestampOffset } from './segment/time-index.js';
export { LogSegment, type SegmentState } from './segment/log-segment.js';
export { PartitionLog, LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, MAX_TIMESTAMP } from './partition/partition-log.js';
export type {
  FetchDataInfo, LeaderEpochEndOffset, LeaderEpochEntry, LogAppendInfo, LogCleanability, LogOffsetMetadata, PartitionLogOptions, ReadOptions, SegmentInfo,
  TimestampAndOffset, AbortedTxn, AppendOrigin, ProducerStateInfo,
} from './partition/types.js';
export { LogCleaner, type CleanerCandidate, type LogCleanerOptions } from './cleaner/log-cleaner.js';
export { LogCleaning, type CleaningOptions } from './cleaner/log-cleaning.js';
export { CleanerStats } from './cleaner/cleaner-stats.js';
export { DEFAULT_OFFSET_MAP_BYTES, OffsetMap } from './cleaner/offset-map.js';
export { CLEANER_OFFSET_CHECKPOINT_FILE } from './cleaner/cleaner-checkpoint.js';
export { PARTITION_METADATA_FILE, readPartitionMetadata, writePartitionMetadata } from './partition/partition-metadata.js';
export { CheckpointFile, CorruptCheckpointError, type CheckpointFormat } from './checkpoint/checkpoint-file.js';
export { OffsetCheckpointFile, REPLICATION_OFFSET_CHECKPOINT_FILE, splitTopicPartitionKey } from './checkpoint/offset-checkpoint.js';
export { LEADER_EPOCH_CHECKPOINT_FILE, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from './epoch/leader-epoch-cache.js';
export { PRODUCER_SNAPSHOT_FILE_SUFFIX } from './producer/producer-snapshot.js';
export { TXN_INDEX_ENTRY_SIZE } from './producer/transaction-index.js';
export { CONTROL_SCAN_MAX_BYTES } from './producer/log-scans.js';
