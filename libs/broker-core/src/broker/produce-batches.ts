import { KAFKA_ERRORS } from '../errors.js';
import { CompressionType } from '../log/batch/batch-header.js';
import { encodeRecordBatch, type RecordInput } from '../log/batch/record-batch-encoder.js';
import { compressionTypeFromName } from '../log/compression/codecs.js';
import type { TopicCompressionType } from '../log/config/log-config.js';
import type { AppendEntry, AppendResult, ProduceRecord, ProduceResult } from './broker-api.js';
import { errorCodeOf } from './error-codes.js';
import type { DefaultPartitioner } from './partitioner.js';

/** The records of one produce() call bound for one partition, by their index in the call. */
interface PartitionBatch {
  readonly partition: number;
  readonly indices: number[];
  readonly inputs: RecordInput[];
}

export interface PlannedProduce {
  readonly entries: AppendEntry[];
  readonly batches: PartitionBatch[];
  /** Per record: a result decided before appending (a bad partition, an unencodable record). */
  readonly early: (ProduceResult | undefined)[];
}

/**
 * Splits a produce() call into one RecordBatch per partition, as a Kafka producer's
 * accumulator would: explicit partitions are kept, others come from the default
 * partitioner; the topic's sticky partition moves on once this call's batches are built.
 * Records without a timestamp get `nowMs`. The topic's compression.type, when it names a
 * codec, is applied here, since the log stores batches as they arrive.
 */
export function planProduce(
  topic: string,
  records: readonly ProduceRecord[],
  numPartitions: number,
  partitioner: DefaultPartitioner,
  compressionType: TopicCompressionType,
  nowMs: number,
): PlannedProduce {
  const early = new Array<ProduceResult | undefined>(records.length).fill(undefined);
  // Plain loops, no closure per record: this runs once per REST produce request.
  const byPartition = new Map<number, PartitionBatch>();
  let usedSticky = false;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const partition = record.partition ?? partitioner.partition(topic, record.key, numPartitions);
    if (record.partition === undefined && record.key === null) usedSticky = true;
    if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
      early[i] = failedRecord(topic, partition, KAFKA_ERRORS.UNKNOWN_TOPIC_OR_PARTITION.code, `Topic ${topic} has no partition ${partition}`);
      continue;
    }
    let batch = byPartition.get(partition);
    if (batch === undefined) {
      batch = { partition, indices: [], inputs: [] };
      byPartition.set(partition, batch);
    }
    batch.indices.push(i);
    batch.inputs.push({ key: record.key, value: record.value, headers: record.headers ?? [], timestamp: record.timestamp ?? nowMs });
  }
  if (usedSticky) partitioner.onNewBatch(topic, numPartitions);

  const compression = compressionType === 'producer' ? CompressionType.NONE : compressionTypeFromName(compressionType);
  const entries: AppendEntry[] = [];
  const batches: PartitionBatch[] = [];
  for (const batch of byPartition.values()) {
    try {
      entries.push({ topic, partition: batch.partition, records: encodeRecordBatch({ records: batch.inputs, defaultTimestamp: nowMs, compression }) });
      batches.push(batch);
    } catch (err) {
      const { errorCode, errorMessage } = errorCodeOf(err);
      for (const i of batch.indices) early[i] = failedRecord(topic, batch.partition, errorCode, errorMessage);
    }
  }
  return { entries, batches, early };
}

/** Per-record results in call order: offset = the batch's base offset + the record's index in it. */
export function produceResults(topic: string, plan: PlannedProduce, appended: readonly AppendResult[], records: readonly ProduceRecord[], nowMs: number): ProduceResult[] {
  const out = plan.early.slice();
  for (let b = 0; b < plan.batches.length; b++) {
    const batch = plan.batches[b]!;
    const result = appended[b]!;
    for (let j = 0; j < batch.indices.length; j++) {
      const recordIndex = batch.indices[j]!;
      if (result.errorCode !== 0) {
        out[recordIndex] = failedRecord(topic, batch.partition, result.errorCode, result.errorMessage);
        continue;
      }
      const timestamp = result.logAppendTime >= 0n ? result.logAppendTime : BigInt(records[recordIndex]!.timestamp ?? nowMs);
      out[recordIndex] = { topic, partition: batch.partition, offset: result.baseOffset + BigInt(j), timestamp, errorCode: 0, errorMessage: null };
    }
  }
  const results = out as ProduceResult[];
  for (let i = 0; i < out.length; i++) {
    results[i] = out[i] ?? failedRecord(topic, records[i]?.partition ?? -1, KAFKA_ERRORS.UNKNOWN_SERVER_ERROR.code, 'record was not produced');
  }
  return results;
}

function failedRecord(topic: string, partition: number, errorCode: number, errorMessage: string | null): ProduceResult {
  return { topic, partition, offset: -1n, timestamp: -1n, errorCode, errorMessage };
}
