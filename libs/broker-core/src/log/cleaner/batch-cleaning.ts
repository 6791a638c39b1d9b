import {
  BASE_TIMESTAMP_OFFSET,
  BATCH_HEADER_SIZE,
  COMPRESSION_CODEC_MASK,
  CompressionType,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_OFFSET,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  attributesAt,
  isControlAt,
  baseOffsetNumberAt,
  int64NumberAt,
  isSafeInt64,
  maxTimestampNumberAt,
  recordsCountAt,
  writeCrcAt,
  writeInt64NumberAt,
} from '../batch/batch-header.js';
import { RecordScanner, recordsArea } from '../batch/record-scan.js';
import { compress } from '../compression/codecs.js';
import type { CleanerStats } from './cleaner-stats.js';
import type { OffsetMap } from './offset-map.js';

/**
 * What the cleaner does to one batch: record its keys in the offset map (the first half
 * of a pass), then decide which records survive (the second half), as Kafka's Cleaner
 * does with buildOffsetMap and cleanInto.
 *
 * A record survives when it is past the end of what the map covers, or it is the latest
 * for its key (the map holds no later offset), unless it is a tombstone (null value) in
 * a segment whose tombstones may go. Records without a key are dropped, as Kafka does
 * (a compacted topic refuses them at produce; they can only predate the policy).
 * Control batches are kept whole and never mapped. Batches whose records all survive
 * are kept byte for byte; those with none left go; the others are rebuilt with the
 * surviving records copied verbatim: the header (base offset, last offset delta,
 * partition leader epoch, attributes with the codec, producer id, epoch and base
 * sequence, base timestamp) stays, so each record keeps its offset, timestamp and
 * headers; the record count, the max timestamp (CreateTime: the largest kept, never
 * more than before), the length and the CRC are new, and the records are compressed
 * again with the batch's own codec.
 *
 * One instance per cleaner: the scanner and the list of kept records are reused.
 */
export class BatchCleaning {
  private readonly scanner = new RecordScanner();
  /** [start, end) of each kept record in the area being filtered. */
  private kept = new Int32Array(512);

  /** Puts the keys of the (non-control) batch at `pos` into `map`; the caller checked its room. */
  mapKeys(map: OffsetMap, buf: Buffer, pos: number, size: number): void {
    const area = recordsArea(buf, pos, size);
    const baseOffset = baseOffsetNumberAt(buf, pos);
    const scanner = this.scanner.reset(area, 0, area.length);
    while (scanner.next()) {
      if (scanner.keyLength >= 0) map.put(area, scanner.keyStart, scanner.keyLength, baseOffset + scanner.offsetDelta);
    }
  }

  /**
   * The batch at `pos` as it should be written to the cleaned segment: a view of it when
   * kept whole, a rebuilt Buffer, or undefined when nothing survives. `mapEnd` is the
   * first offset the map does not cover; `retainDeletes` whether this segment's
   * tombstones stay.
   */
  filter(map: OffsetMap, mapEnd: number, retainDeletes: boolean, buf: Buffer, pos: number, size: number, stats: CleanerStats): Buffer | undefined {
    const count = recordsCountAt(buf, pos);
    stats.recordsRead += count;
    const whole = buf.subarray(pos, pos + size);
    if (isControlAt(buf, pos) || baseOffsetNumberAt(buf, pos) >= mapEnd) return whole;
    const area = recordsArea(buf, pos, size);
    const baseOffset = baseOffsetNumberAt(buf, pos);
    const scanner = this.scanner.reset(area, 0, area.length);
    let keptCount = 0;
    let keptBytes = 0;
    let maxTimestampDelta = -Infinity;
    while (scanner.next()) {
      const offset = baseOffset + scanner.offsetDelta;
      if (offset < mapEnd) {
        if (scanner.keyLength < 0) {
          stats.keylessRecordsRemoved++;
          continue;
        }
        if (map.get(area, scanner.keyStart, scanner.keyLength) > offset) continue;
        if (scanner.valueLength < 0 && !retainDeletes) {
          stats.tombstonesRemoved++;
          continue;
        }
      }
      if (keptCount * 2 === this.kept.length) this.grow();
      this.kept[keptCount * 2] = scanner.recordStart;
      this.kept[keptCount * 2 + 1] = scanner.recordEnd;
      keptCount++;
      keptBytes += scanner.recordEnd - scanner.recordStart;
      if (scanner.timestampDelta > maxTimestampDelta) maxTimestampDelta = scanner.timestampDelta;
    }
    stats.recordsRemoved += count - keptCount;
    if (keptCount === count) return whole;
    if (keptCount === 0) return undefined;
    stats.batchesRebuilt++;
    return this.rebuild(buf, pos, area, keptCount, keptBytes, maxTimestampDelta);
  }

  private rebuild(buf: Buffer, pos: number, area: Buffer, keptCount: number, keptBytes: number, maxTimestampDelta: number): Buffer {
    const codec = (attributesAt(buf, pos) & COMPRESSION_CODEC_MASK) as CompressionType;
    const records = Buffer.allocUnsafe(codec === CompressionType.NONE ? BATCH_HEADER_SIZE + keptBytes : keptBytes);
    let at = codec === CompressionType.NONE ? BATCH_HEADER_SIZE : 0;
    for (let i = 0; i < keptCount; i++) at += area.copy(records, at, this.kept[i * 2]!, this.kept[i * 2 + 1]!);
    let batch = records;
    if (codec !== CompressionType.NONE) {
      const compressed = compress(codec, records);
      batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
      compressed.copy(batch, BATCH_HEADER_SIZE);
    }
    buf.copy(batch, 0, pos, pos + BATCH_HEADER_SIZE);
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, LENGTH_OFFSET);
    batch.writeInt32BE(keptCount, RECORDS_COUNT_OFFSET);
    if ((attributesAt(buf, pos) & TIMESTAMP_TYPE_MASK) === 0) {
      // CreateTime: the largest kept timestamp, never above what the batch claimed
      // (a producer's records may disagree with its header; the log's bound stays).
      const maxTimestamp = int64NumberAt(buf, pos + BASE_TIMESTAMP_OFFSET) + maxTimestampDelta;
      if (isSafeInt64(maxTimestamp) && maxTimestamp < maxTimestampNumberAt(buf, pos)) writeInt64NumberAt(batch, maxTimestamp, MAX_TIMESTAMP_OFFSET);
    }
    writeCrcAt(batch, 0, batch.length);
    return batch;
  }

  private grow(): void {
    const grown = new Int32Array(this.kept.length * 2);
    grown.set(this.kept);
    this.kept = grown;
  }
}
