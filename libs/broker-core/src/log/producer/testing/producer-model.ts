import { ControlRecordType, decodeControlRecordKey } from '../../batch/control-record.js';
import { iterateBatches } from '../../batch/record-batch-decoder.js';
import type { PartitionLog } from '../../partition/partition-log.js';
import type { AbortedTxn } from '../../partition/types.js';

/** What a full decode of a log says its producer state must be: an independent model of the rules. */
export interface ProducerModel {
  /** Last sequence per producer id (data batches). */
  readonly lastSequence: Map<bigint, number>;
  /** First offset of each producer's open transaction. */
  readonly openTxns: Map<bigint, bigint>;
  readonly aborted: AbortedTxn[];
  readonly controlOffsets: bigint[];
}

/** Decodes every batch of `log` (CRC checked) and replays Kafka's transaction rules on plain maps. */
export function modelProducers(log: PartitionLog): ProducerModel {
  const model: ProducerModel = { lastSequence: new Map(), openTxns: new Map(), aborted: [], controlOffsets: [] };
  for (let next = log.logStartOffset; next < log.logEndOffset; ) {
    for (const batch of iterateBatches(log.read(next, 1 << 20).records)) {
      next = batch.lastOffset + 1n;
      if (batch.producerId < 0n) continue;
      if (batch.isControl) {
        model.controlOffsets.push(batch.baseOffset);
        const first = model.openTxns.get(batch.producerId);
        if (first === undefined) continue;
        model.openTxns.delete(batch.producerId);
        if (decodeControlRecordKey(batch.records[0]!.key).type !== ControlRecordType.ABORT) continue;
        // Open transactions started in offset order, so the first left is the oldest.
        const [oldest] = model.openTxns.values();
        model.aborted.push({ producerId: batch.producerId, firstOffset: first, lastOffset: batch.baseOffset, lastStableOffset: oldest ?? batch.baseOffset + 1n });
        continue;
      }
      model.lastSequence.set(batch.producerId, batch.baseSequence + batch.lastOffsetDelta);
      if (batch.isTransactional && !model.openTxns.has(batch.producerId)) model.openTxns.set(batch.producerId, batch.baseOffset);
    }
  }
  return model;
}

/** Asserts that `log`'s producer state, first unstable offset and aborted index match the model of its batches. */
export function expectStateMatchesModel(log: PartitionLog): void {
  const model = modelProducers(log);
  log.updateHighWatermark(log.logEndOffset);
  const producers = new Map(log.activeProducers().map((p) => [p.producerId, p]));
  for (const [producerId, lastSequence] of model.lastSequence) {
    expect([producerId, producers.get(producerId)?.lastSequence]).toEqual([producerId, lastSequence]);
  }
  for (const [producerId, info] of producers) expect([producerId, info.currentTxnStartOffset]).toEqual([producerId, model.openTxns.get(producerId) ?? -1n]);
  const opens = [...model.openTxns.values()].sort((a, b) => (a < b ? -1 : 1));
  expect(log.firstUnstableOffset).toBe(opens[0]);
  expect(log.collectAbortedTransactions(log.logStartOffset, log.logEndOffset)).toEqual(model.aborted);
  expect(log.controlRecordsBetween(log.logStartOffset, log.logEndOffset)).toBe(model.controlOffsets.length);
}
