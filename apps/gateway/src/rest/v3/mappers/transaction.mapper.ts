import type { ProducerStateInfo, TransactionDescription } from '@weir/broker-core';
import { OPEN_TRANSACTION_STATES, type ProducerData, type ProducerDataList, type TransactionData, type TransactionDataList } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

/**
 * Links of the transactions resources, built on V3Urls' cluster URL:
 * `<cluster>/transactions/<id>`, its `:abort` action, and a partition's `/producers`.
 */
export const transactionUrls = {
  list: (urls: V3Urls): string => `${urls.cluster}/transactions`,
  one: (urls: V3Urls, transactionalId: string): string => `${urls.cluster}/transactions/${encodeURIComponent(transactionalId)}`,
  abort: (urls: V3Urls, transactionalId: string): string => `${transactionUrls.one(urls, transactionalId)}:abort`,
  crn: (urls: V3Urls, transactionalId: string): string => `${urls.crnCluster()}/transaction=${transactionalId}`,
  producers: (urls: V3Urls, topic: string, partition: number): string => `${urls.partition(topic, partition)}/producers`,
  crnProducer: (urls: V3Urls, topic: string, partition: number, producerId: bigint): string => `${urls.crnPartition(topic, partition)}/producer=${producerId}`,
};

/** -1 (Kafka's "none") as null, else the ISO-8601 form. */
function isoOrNull(ms: number): string | null {
  return ms < 0 ? null : new Date(ms).toISOString();
}

/**
 * `nowMs` is when the answer is built: the age of an open transaction is measured to it.
 * A completed one keeps its start time (as Kafka reports it) but has no age.
 */
export function toTransactionData(urls: V3Urls, txn: TransactionDescription, nowMs: number): TransactionData {
  const id = txn.transactionalId;
  const started = txn.transactionStartTimeMs >= 0;
  const open = started && OPEN_TRANSACTION_STATES.includes(txn.state);
  return {
    kind: 'KafkaTransaction',
    metadata: { self: transactionUrls.one(urls, id), resource_name: transactionUrls.crn(urls, id) },
    cluster_id: urls.clusterId,
    transactional_id: id,
    producer_id: Number(txn.producerId),
    producer_epoch: txn.producerEpoch,
    state: txn.state,
    transaction_timeout_ms: txn.transactionTimeoutMs,
    transaction_start_time: isoOrNull(txn.transactionStartTimeMs),
    transaction_start_time_ms: started ? txn.transactionStartTimeMs : -1,
    last_update_time: isoOrNull(txn.lastUpdateTimeMs),
    last_update_time_ms: txn.lastUpdateTimeMs,
    // A clock step back must not show a negative age.
    age_ms: open ? Math.max(0, nowMs - txn.transactionStartTimeMs) : null,
    partitions: txn.partitions.map((p) => ({ topic_name: p.topic, partition_id: p.partition })),
    partitions_count: txn.partitions.length,
    coordinator_id: txn.coordinatorId,
    coordinator: { related: urls.broker(txn.coordinatorId) },
    abort: { related: transactionUrls.abort(urls, id) },
  };
}

/** By transactional id, so a page of them reads the same on every refresh. */
export function toTransactionDataList(urls: V3Urls, txns: readonly TransactionDescription[], nowMs: number, self: string): TransactionDataList {
  const sorted = [...txns].sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
  return { kind: 'KafkaTransactionList', metadata: { self, next: null }, data: sorted.map((t) => toTransactionData(urls, t, nowMs)) };
}

export function toProducerData(urls: V3Urls, topic: string, partition: number, p: ProducerStateInfo): ProducerData {
  return {
    kind: 'KafkaProducer',
    metadata: { self: transactionUrls.producers(urls, topic, partition), resource_name: transactionUrls.crnProducer(urls, topic, partition, p.producerId) },
    cluster_id: urls.clusterId,
    topic_name: topic,
    partition_id: partition,
    producer_id: Number(p.producerId),
    producer_epoch: p.producerEpoch,
    last_sequence: p.lastSequence,
    last_timestamp: Number(p.lastTimestamp),
    coordinator_epoch: p.coordinatorEpoch,
    current_transaction_start_offset: p.currentTxnStartOffset < 0n ? null : Number(p.currentTxnStartOffset),
  };
}

/** By producer id. */
export function toProducerDataList(urls: V3Urls, topic: string, partition: number, producers: readonly ProducerStateInfo[]): ProducerDataList {
  const sorted = [...producers].sort((a, b) => (a.producerId < b.producerId ? -1 : a.producerId > b.producerId ? 1 : 0));
  return {
    kind: 'KafkaProducerList',
    metadata: { self: transactionUrls.producers(urls, topic, partition), next: null },
    data: sorted.map((p) => toProducerData(urls, topic, partition, p)),
  };
}
