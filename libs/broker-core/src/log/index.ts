export * from './batch/index.js';
export * from './config/index.js';
export * from './logger.js';
export { offsetFileName, parseLogFileName, partitionDirName } from './segment/file-names.js';
export { OffsetIndex, type OffsetPosition } from './segment/offset-index.js';
export { TimeIndex, type TimestampOffset } from './segment/time-index.js';
export { LogSegment, type SegmentState } from './segment/log-segment.js';
export { PartitionLog, LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, MAX_TIMESTAMP } from './partition/partition-log.js';
export type { FetchDataInfo, LogAppendInfo, LogOffsetMetadata, PartitionLogOptions, ReadOptions, SegmentInfo, TimestampAndOffset } from './partition/types.js';
