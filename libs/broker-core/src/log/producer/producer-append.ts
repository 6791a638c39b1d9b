import { KafkaError } from '../../errors.js';
import {
  BASE_SEQUENCE_OFFSET,
  CONTROL_FLAG_MASK,
  LAST_OFFSET_DELTA_OFFSET,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  TRANSACTIONAL_FLAG_MASK,
  ATTRIBUTES_OFFSET,
  baseOffsetNumberAt,
  maxTimestampNumberAt,
} from '../batch/batch-header.js';
import { ControlRecordType, decodeControlRecordKey, decodeEndTxnMarker } from '../batch/control-record.js';
import { decodeRecordBatch } from '../batch/record-batch-decoder.js';
import type { AppendOrigin } from '../partition/types.js';
import { type BatchMetadata, NO_PRODUCER_EPOCH, NO_TXN, ProducerStateEntry, inSequence, incrementSequence } from './producer-state-entry.js';

/** Kafka's AppendOrigin plus REPLICATION: follower appends and log replay, which are not validated. */
export type ProducerAppendOrigin = AppendOrigin | 'replication';

/** A transaction a marker in this append ended (Kafka's CompletedTxn). */
export interface CompletedTxn {
  readonly producerId: bigint;
  readonly firstOffset: number;
  /** The offset of its marker. */
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/** A transaction a batch of this append opened. */
export interface StartedTxn {
  readonly producerId: bigint;
  readonly firstOffset: number;
}

/**
 * The producer-state effect of one append, computed before anything is written (Kafka's
 * ProducerAppendInfo, for every producer of the append at once): the updated entries,
 * transactions started and completed, or the batch this append duplicates.
 */
export class ProducerAppend {
  readonly updates = new Map<bigint, ProducerStateEntry>();
  readonly started: StartedTxn[] = [];
  readonly completed: CompletedTxn[] = [];
  /**
   * Set when a client batch repeats one the log holds: nothing may be written (the
   * caller answers with the original's offsets, or DUPLICATE_SEQUENCE_NUMBER when the
   * append held other batches too). The other fields are then incomplete.
   */
  duplicate: BatchMetadata | undefined;
  /** Whether a control batch (a transaction marker) is part of the append. */
  hasControl = false;
}

/** The live entry of a producer id, undefined when the partition knows none. */
export type ProducerLookup = (producerId: bigint) => ProducerStateEntry | undefined;

/**
 * Validates and maps every batch with a producer id in `records` (whole, valid batches),
 * Kafka's rules by origin:
 * - every origin but replication: an epoch older than the producer's is INVALID_PRODUCER_EPOCH;
 *   a marker's coordinator epoch older than the last one seen is TRANSACTION_COORDINATOR_FENCED;
 * - client: a batch repeating one of the last five (same epoch and sequences) is a
 *   duplicate; otherwise a new epoch must start at sequence 0 (unless the producer is
 *   unknown) and the same epoch continue at last sequence + 1 (int32 wraparound), else
 *   OUT_OF_ORDER_SEQUENCE_NUMBER; an unknown producer may start anywhere;
 * - data batches: transactional ones open a transaction if none is open, a
 *   non-transactional one while one is open is INVALID_TXN_STATE (not for replication).
 * `firstOffset` is the offset the first batch will get (leader appends), or undefined to
 * use the offsets stored in the batches (follower appends, replay).
 */
export function prepareProducerAppend(records: Buffer, firstOffset: number | undefined, origin: ProducerAppendOrigin, lookup: ProducerLookup, out = new ProducerAppend()): ProducerAppend {
  const end = records.length;
  let next = firstOffset ?? 0;
  let pos = 0;
  while (pos < end) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
    const delta = records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
    const base = firstOffset === undefined ? baseOffsetNumberAt(records, pos) : next;
    next = base + delta + 1;
    if (records.readInt32BE(pos + PRODUCER_ID_OFFSET) >= 0) {
      const producerId = records.readBigInt64BE(pos + PRODUCER_ID_OFFSET);
      let entry = out.updates.get(producerId);
      if (entry === undefined) {
        const live = lookup(producerId);
        if (origin === 'client' && live !== undefined) {
          out.duplicate = findDuplicate(records, pos, live);
          if (out.duplicate !== undefined) return out;
        }
        entry = live === undefined ? new ProducerStateEntry(producerId) : live.copy();
        out.updates.set(producerId, entry);
      }
      appendBatch(records, pos, size, base, base + delta, origin, entry, out);
    }
    pos += size;
  }
  return out;
}

function findDuplicate(records: Buffer, pos: number, live: ProducerStateEntry): BatchMetadata | undefined {
  const firstSeq = records.readInt32BE(pos + BASE_SEQUENCE_OFFSET);
  const lastSeq = incrementSequence(firstSeq, records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET));
  return live.findDuplicate(records.readInt16BE(pos + PRODUCER_EPOCH_OFFSET), firstSeq, lastSeq);
}

function appendBatch(records: Buffer, pos: number, size: number, firstOffset: number, lastOffset: number, origin: ProducerAppendOrigin, entry: ProducerStateEntry, out: ProducerAppend): void {
  const epoch = records.readInt16BE(pos + PRODUCER_EPOCH_OFFSET);
  const attributes = records.readInt16BE(pos + ATTRIBUTES_OFFSET);
  const timestamp = maxTimestampNumberAt(records, pos);
  if (origin !== 'replication' && epoch < entry.producerEpoch) {
    throw new KafkaError('INVALID_PRODUCER_EPOCH', `producer ${entry.producerId} at offset ${firstOffset} has epoch ${epoch}, older than its current epoch ${entry.producerEpoch}`);
  }
  if ((attributes & CONTROL_FLAG_MASK) !== 0) {
    out.hasControl = true;
    appendMarker(records, pos, size, lastOffset, epoch, timestamp, origin, entry, out);
    return;
  }
  const firstSeq = records.readInt32BE(pos + BASE_SEQUENCE_OFFSET);
  if (origin === 'client') checkSequence(entry, epoch, firstSeq, firstOffset);
  const delta = lastOffset - firstOffset;
  entry.addBatch(epoch, firstSeq < 0 ? firstSeq : incrementSequence(firstSeq, delta), lastOffset, delta, timestamp);
  const transactional = (attributes & TRANSACTIONAL_FLAG_MASK) !== 0;
  if (entry.currentTxnFirstOffset !== NO_TXN) {
    if (!transactional && origin !== 'replication') {
      throw new KafkaError('INVALID_TXN_STATE', `producer ${entry.producerId} wrote a non-transactional batch at offset ${firstOffset} while its transaction from offset ${entry.currentTxnFirstOffset} is open`);
    }
  } else if (transactional) {
    entry.currentTxnFirstOffset = firstOffset;
    out.started.push({ producerId: entry.producerId, firstOffset });
  }
}

function checkSequence(entry: ProducerStateEntry, epoch: number, firstSeq: number, offset: number): void {
  if (epoch !== entry.producerEpoch) {
    if (firstSeq !== 0 && entry.producerEpoch !== NO_PRODUCER_EPOCH) {
      throw new KafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${entry.producerId} at offset ${offset}: a new epoch ${epoch} must start at sequence 0, not ${firstSeq} (current epoch ${entry.producerEpoch})`);
    }
    return;
  }
  // A known epoch without a known sequence (entry from markers only, or emptied): Kafka
  // accepts any sequence only for a producer it knows nothing of.
  if (entry.producerEpoch !== NO_PRODUCER_EPOCH && !inSequence(entry.lastSeq, firstSeq)) {
    throw new KafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${entry.producerId} at offset ${offset}: sequence ${firstSeq} does not follow ${entry.lastSeq}`);
  }
}

function appendMarker(records: Buffer, pos: number, size: number, offset: number, epoch: number, timestamp: number, origin: ProducerAppendOrigin, entry: ProducerStateEntry, out: ProducerAppend): void {
  // Markers are one small uncompressed record: decoding it costs nothing next to a transaction.
  const batch = decodeRecordBatch(records.subarray(pos, pos + size), 0, { verifyCrc: false });
  const record = batch.records[0];
  // An empty control batch: compaction removed the whole transaction.
  if (record === undefined) return;
  const type = decodeControlRecordKey(record.key).type;
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) {
    if (origin === 'replication') return;
    throw new KafkaError('INVALID_RECORD', `control record type ${type} is not a transaction marker`);
  }
  const marker = decodeEndTxnMarker(record);
  if (origin !== 'replication' && marker.coordinatorEpoch < entry.coordinatorEpoch) {
    throw new KafkaError('TRANSACTION_COORDINATOR_FENCED', `marker for producer ${entry.producerId} at offset ${offset} has coordinator epoch ${marker.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`);
  }
  if (entry.currentTxnFirstOffset !== NO_TXN) {
    out.completed.push({ producerId: entry.producerId, firstOffset: entry.currentTxnFirstOffset, lastOffset: offset, isAborted: marker.type === 'ABORT' });
  }
  entry.endTransaction(epoch, marker.coordinatorEpoch, timestamp);
}
