import type { BrokerApi, ReadStart, RecordView } from '@weir/broker-core';
import type { RecordPredicate } from './record-filter.js';
import { payloadBytes } from './record-render.js';

/** Records and payload bytes asked of the broker per step of a scan: big enough to be cheap per record, small enough to stay responsive. */
const SCAN_STEP_RECORDS = 5_000;
const SCAN_STEP_BYTES = 16 * 1024 * 1024;

export interface ScanQuery {
  readonly start: ReadStart;
  readonly direction: 'forward' | 'backward';
  /** Matches wanted, and their payload bytes (the first match is always returned whole). */
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly maxScanRecords: number;
  readonly maxScanBytes: number;
}

export interface ScanResult {
  readonly records: RecordView[];
  readonly nextOffset: bigint;
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  readonly scannedRecords: number;
  /** The last record examined; -1 when none was. */
  readonly scannedToOffset: bigint;
  readonly budgetExhausted: boolean;
}

/**
 * A filtered read: pages through the partition with `BrokerApi.readRecords` in the read's
 * direction, keeping the records the predicate accepts, until enough match, the partition
 * ends, or the scan budget (records and payload bytes examined) runs out. `nextOffset`
 * continues exactly after the last record examined, whichever way it stopped.
 */
export async function scanFiltered(broker: BrokerApi, topic: string, partition: number, accept: RecordPredicate, q: ScanQuery): Promise<ScanResult> {
  const forward = q.direction === 'forward';
  const matched: RecordView[] = [];
  let matchedBytes = 0;
  let scannedRecords = 0;
  let scannedBytes = 0;
  let scannedTo = -1n;
  let start = q.start;
  for (;;) {
    const page = await broker.readRecords(topic, partition, {
      start,
      direction: q.direction,
      maxRecords: Math.min(SCAN_STEP_RECORDS, q.maxScanRecords - scannedRecords),
      maxBytes: Math.min(SCAN_STEP_BYTES, q.maxScanBytes - scannedBytes),
    });
    const done = (nextOffset: bigint, budgetExhausted: boolean): ScanResult => ({
      records: matched,
      nextOffset,
      logStartOffset: page.logStartOffset,
      highWatermark: page.highWatermark,
      scannedRecords,
      scannedToOffset: scannedTo,
      budgetExhausted,
    });
    for (const record of page.records) {
      const bytes = payloadBytes(record);
      if (accept(record)) {
        if (matched.length > 0 && matchedBytes + bytes > q.maxBytes) return done(record.offset, false); // not examined: the next read starts at it
        matched.push(record);
        matchedBytes += bytes;
      }
      scannedRecords++;
      scannedBytes += bytes;
      scannedTo = record.offset;
      if (matched.length >= q.maxRecords) return done(forward ? record.offset + 1n : record.offset - 1n, false);
    }
    const ended = page.records.length === 0 || (forward ? page.nextOffset >= page.highWatermark : page.nextOffset < page.logStartOffset);
    if (ended) return done(page.nextOffset, false);
    if (scannedRecords >= q.maxScanRecords || scannedBytes >= q.maxScanBytes) return done(page.nextOffset, true);
    start = { offset: page.nextOffset };
  }
}
