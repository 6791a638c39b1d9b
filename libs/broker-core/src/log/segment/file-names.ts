import { join } from 'node:path';

/**
 * Segment file names, as Kafka spells them: the segment's base offset, zero-padded to
 * 20 digits, plus a suffix. Sorting names sorts segments by base offset.
 */
export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const TXN_INDEX_FILE_SUFFIX = '.txnindex';
export const SEGMENT_FILE_SUFFIXES = [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX] as const;
/**
 * Suffixes appended to a whole segment file name by the cleaner's swap (Kafka's): the
 * cleaned segment is written as `.cleaned`, renamed to `.swap` once complete and synced,
 * the segments it replaces are renamed to `.deleted`, then the swap loses its suffix.
 */
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';
export const DELETED_FILE_SUFFIX = '.deleted';

const NAME_DIGITS = 20;
const SEGMENT_LOG_NAME = /^(\d{20})\.log$/;

export function offsetFileName(baseOffset: bigint | number, suffix: string): string {
  return baseOffset.toString().padStart(NAME_DIGITS, '0') + suffix;
}

export function segmentFilePath(dir: string, baseOffset: bigint | number, suffix: string): string {
  return join(dir, offsetFileName(baseOffset, suffix));
}

/** The base offset of a `.log` file name, or undefined for any other file. */
export function parseLogFileName(name: string): bigint | undefined {
  const match = SEGMENT_LOG_NAME.exec(name);
  return match ? BigInt(match[1]!) : undefined;
}

/** The directory name of a partition's log: `<topic>-<partition>`. */
export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
