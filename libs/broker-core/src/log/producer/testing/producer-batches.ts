import { encodeControlBatch, type EndTxnMarkerType } from '../../batch/control-record.js';
import { encodeRecordBatch } from '../../batch/record-batch-encoder.js';

export const T0 = 1_700_000_000_000;

export interface ProducerBatchOptions {
  readonly count?: number;
  readonly transactional?: boolean;
  readonly timestamp?: number;
}

/** A batch of `count` records from producer `producerId` at `epoch`, sequences from `baseSequence`. */
export function producerBatch(producerId: number, epoch: number, baseSequence: number, options: ProducerBatchOptions = {}): Buffer {
  const count = options.count ?? 1;
  const timestamp = BigInt(options.timestamp ?? T0);
  const records = Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`p${producerId}-${baseSequence}-${i}`), timestamp }));
  return encodeRecordBatch({
    records, producerId: BigInt(producerId), producerEpoch: epoch, baseSequence, isTransactional: options.transactional ?? false, defaultTimestamp: timestamp,
  });
}

/** A COMMIT or ABORT marker batch, as the transaction coordinator writes it. */
export function markerBatch(type: EndTxnMarkerType, producerId: number, epoch: number, coordinatorEpoch = 0, timestamp = T0): Buffer {
  return encodeControlBatch({ type, coordinatorEpoch, producerId: BigInt(producerId), producerEpoch: epoch, timestamp });
}
