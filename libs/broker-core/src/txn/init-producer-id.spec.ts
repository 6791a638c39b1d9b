import { describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { prepareInitTransit } from './init-producer-id.js';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, TransactionMetadata, type TxnTransit } from './transaction-metadata.js';

/** InitProducerId's decisions on the metadata alone: epoch exhaustion, recovery of a rotated id, fencing. */
const NOW = 1_700_000_000_000;

function metadata(fields: Partial<TxnTransit> = {}): TransactionMetadata {
  return new TransactionMetadata('id', {
    producerId: 10n, lastProducerId: NO_PRODUCER_ID, producerEpoch: 5, lastProducerEpoch: NO_PRODUCER_EPOCH, txnTimeoutMs: 60_000,
    state: 'CompleteCommit', partitions: [], txnStartTimestampMs: NOW - 10, txnLastUpdateTimestampMs: NOW - 5, ...fields,
  });
}

describe('prepareInitTransit', () => {
  it('bumps the epoch of an idle id and sets its new timeout', () => {
    const m = metadata();
    expect(prepareInitTransit(m, 30_000, undefined, undefined, NOW)).toMatchObject({
      state: 'Empty', producerId: 10n, producerEpoch: 6, lastProducerEpoch: NO_PRODUCER_EPOCH, txnTimeoutMs: 30_000, partitions: [], txnStartTimestampMs: -1,
    });
    expect(m.pendingState).toBe('Empty');
  });

  it('rotates to a new producer id at epoch 0 once the epochs are exhausted, claiming one first', () => {
    const m = metadata({ producerEpoch: 0x7ffe });
    expect(prepareInitTransit(m, 30_000, undefined, undefined, NOW)).toBe('needs-producer-id');
    expect(m.hasPendingTransition).toBe(false);
    const rotated = prepareInitTransit(m, 30_000, undefined, 99n, NOW) as TxnTransit;
    expect(rotated).toMatchObject({ state: 'Empty', producerId: 99n, producerEpoch: 0, lastProducerId: 10n, lastProducerEpoch: NO_PRODUCER_EPOCH });
  });

  it('records the last epoch when a known producer rotates, so its retry gets the same answer', () => {
    const m = metadata({ producerEpoch: 0x7ffe });
    const rotated = prepareInitTransit(m, 30_000, { producerId: 10n, producerEpoch: 0x7ffe }, 99n, NOW) as TxnTransit;
    expect(rotated).toMatchObject({ producerId: 99n, producerEpoch: 0, lastProducerEpoch: 0x7ffe });
    m.completeTransition(rotated);
    // Its answer lost, the producer asks again with the old id at the exhausted epoch: the same id and epoch, nothing bumped.
    expect(prepareInitTransit(m, 30_000, { producerId: 10n, producerEpoch: 0x7ffe }, undefined, NOW)).toMatchObject({ producerId: 99n, producerEpoch: 0 });
  });

  it('fences the open transaction with a bumped epoch, reusing it after a failed fence', () => {
    const m = metadata({ state: 'Ongoing', partitions: [{ topic: 't', partition: 0 }] });
    expect(prepareInitTransit(m, 30_000, undefined, undefined, NOW)).toMatchObject({ state: 'PrepareEpochFence', producerEpoch: 6 });
    m.abortTransition();
    m.hasFailedEpochFence = true;
    expect(prepareInitTransit(m, 30_000, undefined, undefined, NOW)).toMatchObject({ state: 'PrepareEpochFence', producerEpoch: 5 });
  });

  it('answers CONCURRENT_TRANSACTIONS while completing and PRODUCER_FENCED for a stranger', () => {
    expect(prepareInitTransit(metadata({ state: 'PrepareAbort' }), 30_000, undefined, undefined, NOW)).toBe(E.CONCURRENT_TRANSACTIONS.code);
    const pending = metadata();
    pending.prepareDead();
    expect(prepareInitTransit(pending, 30_000, undefined, undefined, NOW)).toBe(E.CONCURRENT_TRANSACTIONS.code);
    expect(prepareInitTransit(metadata(), 30_000, { producerId: 11n, producerEpoch: 5 }, undefined, NOW)).toBe(E.PRODUCER_FENCED.code);
    expect(prepareInitTransit(metadata(), 30_000, { producerId: 10n, producerEpoch: 3 }, undefined, NOW)).toBe(E.PRODUCER_FENCED.code);
  });
});
