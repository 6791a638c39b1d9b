import type { TransactionDescription } from '@weir/broker-core';
import { producerDataListSchema, transactionDataListSchema, transactionDataSchema } from '@weir/contracts';
import { V3Urls } from '../common/urls.js';
import { toProducerDataList, toTransactionData, toTransactionDataList } from './transaction.mapper.js';

const urls = new V3Urls('http://gw', 'c1');
const open: TransactionDescription = {
  transactionalId: 'pay/ments:1',
  producerId: 7n,
  producerEpoch: 3,
  state: 'Ongoing',
  coordinatorId: 2,
  transactionTimeoutMs: 60_000,
  transactionStartTimeMs: 1_000,
  lastUpdateTimeMs: 1_500,
  partitions: [{ topic: 'out', partition: 1 }, { topic: 'out', partition: 0 }],
};

describe('transaction mapper', () => {
  it('maps an open transaction: times in ISO and ms, its age at the answer, partitions and links', () => {
    const data = transactionDataSchema.parse(toTransactionData(urls, open, 4_000));
    expect(data).toMatchObject({
      transactional_id: 'pay/ments:1', producer_id: 7, producer_epoch: 3, state: 'Ongoing', transaction_timeout_ms: 60_000,
      transaction_start_time: '1970-01-01T00:00:01.000Z', transaction_start_time_ms: 1_000,
      last_update_time: '1970-01-01T00:00:01.500Z', last_update_time_ms: 1_500, age_ms: 3_000, partitions_count: 2, coordinator_id: 2,
    });
    expect(data.partitions).toEqual([{ topic_name: 'out', partition_id: 1 }, { topic_name: 'out', partition_id: 0 }]);
    expect(data.metadata.self).toBe('http://gw/v3/clusters/c1/transactions/pay%2Fments%3A1');
    expect(data.abort.related).toBe('http://gw/v3/clusters/c1/transactions/pay%2Fments%3A1:abort');
    expect(data.coordinator.related).toBe('http://gw/v3/clusters/c1/brokers/2');
    expect(data.metadata.resource_name).toBe('crn:///kafka=c1/transaction=pay/ments:1');
  });

  it('shows no age when nothing is open, no start time when none ever started, and never a negative age', () => {
    const never = toTransactionData(urls, { ...open, state: 'Empty', transactionStartTimeMs: -1, partitions: [] }, 4_000);
    expect(never).toMatchObject({ transaction_start_time: null, transaction_start_time_ms: -1, age_ms: null, partitions_count: 0 });
    const completed = toTransactionData(urls, { ...open, state: 'CompleteAbort', partitions: [] }, 4_000);
    expect(completed).toMatchObject({ transaction_start_time_ms: 1_000, age_ms: null });
    expect(toTransactionData(urls, { ...open, state: 'PrepareCommit' }, 4_000).age_ms).toBe(3_000);
    expect(toTransactionData(urls, open, 500).age_ms).toBe(0);
  });

  it('lists by transactional id with the self link it was given', () => {
    const list = transactionDataListSchema.parse(toTransactionDataList(urls, [open, { ...open, transactionalId: 'a' }], 4_000, 'http://gw/x?state=Ongoing'));
    expect(list.data.map((t) => t.transactional_id)).toEqual(['a', 'pay/ments:1']);
    expect(list.metadata).toEqual({ self: 'http://gw/x?state=Ongoing', next: null });
  });

  it('maps producers by id, an open transaction\'s first offset or null', () => {
    const producers = producerDataListSchema.parse(toProducerDataList(urls, 'out', 0, [
      { producerId: 9n, producerEpoch: 0, lastSequence: 4, lastTimestamp: 2_000n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
      { producerId: 7n, producerEpoch: 3, lastSequence: -1, lastTimestamp: 1_000n, coordinatorEpoch: 5, currentTxnStartOffset: 42n },
    ])).data;
    expect(producers.map((p) => [p.producer_id, p.producer_epoch, p.last_sequence, p.last_timestamp, p.coordinator_epoch, p.current_transaction_start_offset])).toEqual([
      [7, 3, -1, 1_000, 5, 42],
      [9, 0, 4, 2_000, -1, null],
    ]);
    expect(producers[0]!.metadata.self).toBe('http://gw/v3/clusters/c1/topics/out/partitions/0/producers');
  });
});
