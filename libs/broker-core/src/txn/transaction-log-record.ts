import type { TopicPartitionRef, TransactionState } from '../broker/broker-api.js';
import { KafkaError } from '../errors.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import { TXN_STATE_IDS, txnStateFromId } from './transaction-state.js';

/**
 * Records of the compacted `__transaction_state` topic, byte for byte as Kafka's
 * transaction coordinator writes them, so either reads a log the other wrote:
 *
 *   key   TransactionLogKey v0:   version:INT16(0) transactional_id:STRING
 *   value TransactionLogValue v0: version:INT16(0) producer_id:INT64 producer_epoch:INT16
 *         transaction_timeout_ms:INT32 transaction_status:INT8
 *         transaction_partitions:NULLABLE_ARRAY[topic:STRING partition_ids:ARRAY[INT32]]
 *         transaction_last_update_timestamp_ms:INT64 transaction_start_timestamp_ms:INT64
 *
 * v1 values (flexible: compact lengths and tagged fields) are read too. Empty is written
 * with null partitions, as Kafka does. A null value is a tombstone: the id expired.
 */
export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export interface TransactionLogValue {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  readonly state: TransactionState;
  readonly partitions: readonly TopicPartitionRef[];
  readonly lastUpdateTimestampMs: number;
  readonly startTimestampMs: number;
}

export function encodeTransactionLogKey(transactionalId: string): Buffer {
  return new Writer(32).int16(0).string(transactionalId).toBuffer();
}

/** The transactional id of a key, or undefined for a key version this coordinator does not know (skipped, as Kafka does). */
export function decodeTransactionLogKey(key: Buffer): string | undefined {
  const r = new Reader(key);
  const version = r.int16();
  if (version !== 0) return undefined;
  return r.string();
}

export function encodeTransactionLogValue(value: TransactionLogValue): Buffer {
  if (value.state === 'Empty' && value.partitions.length > 0) throw new RangeError('an Empty transaction has no partitions');
  const w = new Writer(64)
    .int16(0)
    .int64(value.producerId)
    .int16(value.producerEpoch)
    .int32(value.transactionTimeoutMs)
    .int8(TXN_STATE_IDS[value.state]);
  w.nullableArray(value.state === 'Empty' ? null : groupByTopic(value.partitions), (out, [topic, ids]) => {
    out.string(topic).array(ids, (o, id) => o.int32(id));
  });
  return w.int64(BigInt(value.lastUpdateTimestampMs)).int64(BigInt(value.startTimestampMs)).toBuffer();
}

export function decodeTransactionLogValue(value: Buffer): TransactionLogValue {
  const r = new Reader(value);
  const version = r.int16();
  if (version !== 0 && version !== 1) throw new KafkaError('UNSUPPORTED_VERSION', `TransactionLogValue v${version} (reads v0-v1)`);
  const flexible = version === 1;
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const transactionTimeoutMs = r.int32();
  const state = txnStateFromId(r.int8());
  const readTopic = (t: Reader): { topic: string; ids: number[] } => {
    const topic = flexible ? t.compactString() : t.string();
    const ids = flexible ? t.compactArray((p) => p.int32()) : t.array((p) => p.int32());
    if (flexible) t.taggedFields();
    return { topic, ids };
  };
  const topics = flexible ? r.compactNullableArray(readTopic) : r.nullableArray(readTopic);
  const lastUpdateTimestampMs = Number(r.int64());
  const startTimestampMs = Number(r.int64());
  if (flexible) r.taggedFields();
  const partitions = state === 'Empty' ? [] : (topics ?? []).flatMap(({ topic, ids }) => ids.map((partition) => ({ topic, partition })));
  return { producerId, producerEpoch, transactionTimeoutMs, state, partitions, lastUpdateTimestampMs, startTimestampMs };
}

function groupByTopic(partitions: readonly TopicPartitionRef[]): [string, number[]][] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let ids = byTopic.get(topic);
    if (ids === undefined) byTopic.set(topic, (ids = []));
    ids.push(partition);
  }
  return [...byTopic];
}
