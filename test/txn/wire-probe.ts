import {
  BATCH_HEADER_SIZE, KafkaClientConnection, LAST_OFFSET_DELTA_OFFSET, LENGTH_OFFSET, LOG_OVERHEAD, SystemTimer, makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic, makeListOffsetsRequest, makeListOffsetsRequestPartition,
  makeListOffsetsRequestTopic, makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData,
} from '@weir/broker-core';

/** ListOffsets' timestamp for "the end": the HW, or the LSO under read_committed. */
const LATEST = -1n;
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
/** Versions every Weir listener serves: ListOffsets v5 (isolation level since v2), Fetch v11 (aborted transactions since v4). */
const LIST_OFFSETS_VERSION = 5;
const FETCH_VERSION = 11;
const PRODUCE_VERSION = 8;
const PARTITION_MAX_BYTES = 64 * 1024 * 1024;

export interface PartitionEnds {
  /** ListOffsets LATEST under read_uncommitted. */
  readonly highWatermark: bigint;
  /** ListOffsets LATEST under read_committed. */
  readonly lastStableOffset: bigint;
}

export interface ProduceOutcome {
  readonly errorCode: number;
  readonly baseOffset: bigint;
}

export interface AbortedRange {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/**
 * A client's view of a partition's ends and aborted transactions over the Kafka protocol,
 * asked the way consumers ask (ListOffsets with an isolation level, a read_committed
 * Fetch), through the project's own client connection rather than kafkajs, which always
 * lists offsets read_uncommitted. One connection to one broker (the partitions' leader);
 * one test at a time; `close()` ends it and its timer.
 */
export class WireProbe {
  private constructor(
    private readonly connection: KafkaClientConnection,
    private readonly timer: SystemTimer,
  ) {}

  static async connect(bootstrap: string): Promise<WireProbe> {
    const colon = bootstrap.lastIndexOf(':');
    const timer = new SystemTimer();
    try {
      const connection = await KafkaClientConnection.connect({
        host: bootstrap.slice(0, colon), port: Number(bootstrap.slice(colon + 1)), clientId: 'weir-txn-e2e', timer,
        connectTimeoutMs: 5000, requestTimeoutMs: 10_000, maxResponseBytes: 2 * PARTITION_MAX_BYTES,
      });
      return new WireProbe(connection, timer);
    } catch (err) {
      timer.close();
      throw err;
    }
  }

  async ends(topic: string, partition: number): Promise<PartitionEnds> {
    const [highWatermark, lastStableOffset] = await Promise.all([this.latest(topic, partition, READ_UNCOMMITTED), this.latest(topic, partition, READ_COMMITTED)]);
    return { highWatermark, lastStableOffset };
  }

  /**
   * The aborted transactions read_committed Fetches list while reading the partition from
   * `fromOffset` to its LSO. A Fetch answers from one segment at a time and lists only the
   * aborted transactions overlapping what it returns, so this fetches on from the end of
   * each answer, as a consumer does, and gathers them. Sorted by first offset.
   */
  async abortedTransactions(topic: string, partition: number, fromOffset = 0n): Promise<AbortedRange[]> {
    const found = new Map<string, AbortedRange>();
    const { lastStableOffset } = await this.ends(topic, partition);
    for (let offset = fromOffset; offset < lastStableOffset;) {
      const response = await this.connection.fetch(FETCH_VERSION, makeFetchRequest({
        maxWaitMs: 0, minBytes: 0, maxBytes: PARTITION_MAX_BYTES, isolationLevel: READ_COMMITTED,
        topics: [makeFetchRequestTopic({ topic, partitions: [makeFetchRequestPartition({ partition, fetchOffset: offset, partitionMaxBytes: PARTITION_MAX_BYTES })] })],
      }));
      const data = response.responses[0]?.partitions[0];
      if (data === undefined) throw new Error(`Fetch of ${topic}-${partition} answered no partition`);
      if (data.errorCode !== 0) throw new Error(`Fetch of ${topic}-${partition} at ${offset} answered error code ${data.errorCode}`);
      for (const a of data.abortedTransactions ?? []) found.set(`${a.producerId}@${a.firstOffset}`, { producerId: a.producerId, firstOffset: a.firstOffset });
      const next = offsetAfter(data.records);
      if (next === undefined || next <= offset) throw new Error(`Fetch of ${topic}-${partition} at ${offset} returned no whole batch below the LSO ${lastStableOffset}`);
      offset = next;
    }
    return [...found.values()].sort((a, b) => Number(a.firstOffset - b.firstOffset));
  }

  /** One stored-format batch (built with encodeRecordBatch) produced as it is, acks=all: for batches no client would send, such as a replay. */
  async produce(topic: string, partition: number, batch: Buffer): Promise<ProduceOutcome> {
    const response = await this.connection.produce(PRODUCE_VERSION, makeProduceRequest({
      acks: -1, timeoutMs: 10_000,
      topicData: [makeProduceRequestTopicProduceData({ name: topic, partitionData: [makeProduceRequestPartitionProduceData({ index: partition, records: batch })] })],
    }));
    const answer = response.responses[0]?.partitionResponses[0];
    if (answer === undefined) throw new Error(`Produce to ${topic}-${partition} answered no partition`);
    return { errorCode: answer.errorCode, baseOffset: answer.baseOffset };
  }

  close(): void {
    this.connection.close();
    this.timer.close();
  }

  private async latest(topic: string, partition: number, isolationLevel: number): Promise<bigint> {
    // replica id -1: a consumer's request (a replica's ignores the isolation level).
    const response = await this.connection.listOffsets(LIST_OFFSETS_VERSION, makeListOffsetsRequest({
      replicaId: -1,
      isolationLevel,
      topics: [makeListOffsetsRequestTopic({ name: topic, partitions: [makeListOffsetsRequestPartition({ partitionIndex: partition, timestamp: LATEST })] })],
    }));
    const answer = response.topics[0]?.partitions[0];
    if (answer === undefined) throw new Error(`ListOffsets of ${topic}-${partition} answered no partition`);
    if (answer.errorCode !== 0) throw new Error(`ListOffsets of ${topic}-${partition} (isolation ${isolationLevel}) answered error code ${answer.errorCode}`);
    return answer.offset;
  }
}

/** The offset after the last whole batch in fetched bytes (v2 batches: base offset INT64, length INT32, ..., last offset delta INT32 at 23). */
function offsetAfter(records: Buffer | null): bigint | undefined {
  if (records === null) return undefined;
  let next: bigint | undefined;
  for (let pos = 0; pos + BATCH_HEADER_SIZE <= records.length;) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
    if (pos + size > records.length) break;
    next = records.readBigInt64BE(pos) + BigInt(records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET)) + 1n;
    pos += size;
  }
  return next;
}
