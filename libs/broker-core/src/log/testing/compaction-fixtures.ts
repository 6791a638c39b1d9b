import { CompressionType } from '../batch/batch-header.js';
import type { RecordHeader } from '../batch/record.js';
import { encodeRecordBatch } from '../batch/record-batch-encoder.js';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import type { CleanerStats } from '../cleaner/cleaner-stats.js';
import type { OffsetMap } from '../cleaner/offset-map.js';
import type { PartitionLog } from '../partition/partition-log.js';

export interface KeyedRecord {
  readonly key: string | null;
  /** null: a tombstone. */
  readonly value: string | null;
  readonly headers?: readonly RecordHeader[];
  readonly timestamp?: number;
}

/** One batch of keyed string records, all at `timestamp` unless a record says otherwise. */
export function keyedBatch(records: readonly KeyedRecord[], timestamp: number, compression = CompressionType.NONE): Buffer {
  return encodeRecordBatch({
    compression,
    defaultTimestamp: BigInt(timestamp),
    records: records.map((r) => ({
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: r.headers,
      timestamp: r.timestamp === undefined ? undefined : BigInt(r.timestamp),
    })),
  });
}

export interface ReadRecord {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: RecordHeader[];
  readonly isControl: boolean;
  readonly compression: CompressionType;
}

/** Every record from the log start to the log end, CRCs checked, in offset order. */
export function readAll(log: PartitionLog): ReadRecord[] {
  const out: ReadRecord[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const { records } = log.read(next, 1 << 20);
    if (records.length === 0) break;
    for (const batch of iterateBatches(records)) {
      for (const r of batch.records) {
        out.push({
          offset: r.offset, timestamp: r.timestamp, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null,
          headers: r.headers, isControl: batch.isControl, compression: batch.compression,
        });
      }
      next = batch.lastOffset + 1n;
    }
  }
  return out;
}

/** Key -> value of the latest record per key (tombstones included as null). */
export function latestByKey(records: readonly ReadRecord[]): Map<string, string | null> {
  const latest = new Map<string, string | null>();
  for (const r of records) if (!r.isControl && r.key !== null) latest.set(r.key, r.value);
  return latest;
}

/** Runs one whole cleaning pass; undefined when the log had nothing to clean. */
export async function cleanOnce(log: PartitionLog, map: OffsetMap, sliceBytes?: number): Promise<CleanerStats | undefined> {
  const cleaning = log.beginCleaning(map, { sliceBytes });
  if (cleaning === undefined) return undefined;
  while (!(await cleaning.step()));
  return cleaning.stats;
}
