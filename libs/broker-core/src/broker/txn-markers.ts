import { CONSUMER_OFFSETS_TOPIC } from '../group/consumer-offsets-record.js';
import { encodeControlBatch } from '../log/batch/control-record.js';
import type { AppendEntry, AppendOptions, AppendResult, PartitionOutcome, TxnMarkerEntry } from './broker-api.js';

/** How long a marker append waits for the ISR (Kafka uses request.timeout.ms for it). */
export const TXN_MARKER_TIMEOUT_MS = 30_000;

export interface TxnMarkerAppendContext {
  /** The broker's produce path (ReplicaManager.appendRecords). */
  readonly append: (entries: readonly AppendEntry[], options: AppendOptions) => Promise<AppendResult[]>;
  /** The group coordinator's completion of transactional offset commits on an offsets partition. */
  readonly completeOffsets: (offsetsPartition: number, producerId: bigint, result: 'COMMIT' | 'ABORT') => void;
  readonly nowMs: () => number;
}

/**
 * WriteTxnMarkers on the partitions' leader (Kafka's handleWriteTxnMarkersRequest): one
 * control batch per partition, appended as the coordinator's (origin 'coordinator': the
 * log checks the producer epoch and coordinator epoch and ends the producer's transaction
 * there) with acks=all and internal topics allowed. Once acknowledged on an
 * `__consumer_offsets` partition, the group coordinator completes the producer's pending
 * offsets there (commit makes them visible, abort drops them).
 */
export async function appendTxnMarkers(ctx: TxnMarkerAppendContext, entry: TxnMarkerEntry): Promise<PartitionOutcome[]> {
  const timestamp = ctx.nowMs();
  // The log stamps offsets into the batch it appends, so each partition gets its own copy.
  const entries = entry.partitions.map((p) => ({
    topic: p.topic, partition: p.partition,
    records: encodeControlBatch({ type: entry.result, coordinatorEpoch: entry.coordinatorEpoch, producerId: entry.producerId, producerEpoch: entry.producerEpoch, timestamp }),
  }));
  const results = await ctx.append(entries, { acks: -1, timeoutMs: TXN_MARKER_TIMEOUT_MS, internalTopicsAllowed: true, origin: 'coordinator' });
  for (const r of results) {
    if (r.errorCode === 0 && r.topic === CONSUMER_OFFSETS_TOPIC) ctx.completeOffsets(r.partition, entry.producerId, entry.result);
  }
  return results.map((r) => ({ topic: r.topic, partition: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage }));
}
