import {
  BATCH_HEADER_SIZE,
  CONTROL_FLAG_MASK,
  ATTRIBUTES_OFFSET,
  PRODUCER_ID_OFFSET,
  baseOffsetNumberAt,
  batchSizeAt,
  lastOffsetNumberAt,
} from '../batch/batch-header.js';
import type { SegmentList } from '../partition/segment-list.js';
import { controlOffsetsWithin } from '../batch/control-record.js';
import { FileWindow } from '../segment/file-window.js';
import type { LogSegment } from '../segment/log-segment.js';
import type { ProducerStateManager } from './producer-state-manager.js';
import type { AbortedTxnEntry } from './transaction-index.js';

/**
 * Walks the batch headers of `segments` from the batch holding `fromOffset` to the log end
 * (whole batches are read only for control batches), calling `visit` with the batch's
 * bytes (its header, or all of it for a control batch) and its segment; `visit` returns
 * false to stop.
 */
function walkBatches(segments: SegmentList, fromOffset: number, firstSegment: number, scratch: Buffer, visit: (buf: Buffer, at: number, size: number, segment: LogSegment) => boolean): void {
  for (let i = firstSegment; i < segments.length; i++) {
    const segment = segments.get(i);
    if (segment.sizeInBytes === 0) continue;
    const window = new FileWindow(segment, segment.sizeInBytes, scratch);
    let pos = fromOffset > segment.baseOffset ? segment.offsetIndex.lookup(fromOffset).position : 0;
    for (;;) {
      let o = window.ensure(pos, BATCH_HEADER_SIZE);
      if (o < 0) break;
      const size = batchSizeAt(window.buf, o);
      if (lastOffsetNumberAt(window.buf, o) >= fromOffset) {
        const control = (window.buf.readInt16BE(o + ATTRIBUTES_OFFSET) & CONTROL_FLAG_MASK) !== 0;
        if (control) o = window.ensure(pos, size);
        if (visit(window.buf, o, control ? size : BATCH_HEADER_SIZE, segment) === false) return;
      }
      pos += size;
    }
  }
}

/**
 * Rebuilds producer state from the log (Kafka's loadProducersFromRecords): every batch
 * with a producer id from `fromOffset` on is applied as a follower's would be. Aborted
 * transactions whose marker lies in a segment based at or after `rebuildIndexFrom` are
 * written to that segment's transaction index (the caller emptied those); below it the
 * index is intact and left alone.
 */
export function replayProducerState(segments: SegmentList, manager: ProducerStateManager, fromOffset: number, rebuildIndexFrom: number, scratch: Buffer): void {
  walkBatches(segments, fromOffset, segments.indexFor(fromOffset), scratch, (buf, at, length, segment) => {
    if (buf.readInt32BE(at + PRODUCER_ID_OFFSET) < 0) return true;
    const append = manager.prepare(buf.subarray(at, at + length), undefined, 'replication');
    manager.apply(append, segment.baseOffset >= rebuildIndexFrom ? segment.txnIndex : undefined);
    return true;
  });
}

/** How many bytes of batches controlRecordsBetween reads at most. */
export const CONTROL_SCAN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * How many offsets in [startOffset, endOffset) hold control records, from batch headers.
 * Reads at most about CONTROL_SCAN_MAX_BYTES: when the span is larger, only the last
 * whole segments within that budget (and always the one holding endOffset - 1) are
 * walked, so markers further back are not counted.
 */
export function countControlRecords(segments: SegmentList, startOffset: number, endOffset: number, scratch: Buffer): number {
  if (endOffset <= startOffset) return 0;
  const lastSegment = segments.indexFor(endOffset - 1);
  let first = segments.indexFor(startOffset);
  let bytes = segments.sizeInBytes(lastSegment);
  for (let i = lastSegment - 1; i >= first; i--) {
    bytes += segments.sizeInBytes(i);
    if (bytes > CONTROL_SCAN_MAX_BYTES) {
      first = i + 1;
      break;
    }
  }
  let count = 0;
  const from = segments.baseOffset(first) > startOffset ? segments.baseOffset(first) : startOffset;
  walkBatches(segments, from, first, scratch, (buf, at) => {
    const base = baseOffsetNumberAt(buf, at);
    if (base >= endOffset) return false;
    count += controlOffsetsWithin(buf, at, from, endOffset);
    return true;
  });
  return count;
}

/**
 * The aborted transactions overlapping [startOffset, upperBoundOffset), from the
 * transaction indexes of the segment holding startOffset and those after it (a marker
 * at or after startOffset can only be there), until an entry shows no later one can
 * overlap (see TransactionIndex.collect). A segment without aborted transactions costs
 * nothing after its first look.
 */
export function collectAbortedTxns(segments: SegmentList, startOffset: number, upperBoundOffset: number): AbortedTxnEntry[] {
  const out: AbortedTxnEntry[] = [];
  for (let i = segments.indexFor(startOffset); i < segments.length; i++) {
    const index = segments.get(i).txnIndex;
    if (!index.isEmpty && index.collect(startOffset, upperBoundOffset, out)) break;
  }
  return out;
}
