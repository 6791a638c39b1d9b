import { type BrokerApi, type DecodedRecord, EARLIEST_TIMESTAMP, KAFKA_ERRORS, LATEST_TIMESTAMP, iterateBatches } from '@weir/broker-core';
import type { V2ConsumerRecord, V2EmbeddedFormat } from '@weir/contracts';
import type { ConsumerInstance, PartitionPosition } from './consumer-instance.js';
import { V2_ERRORS } from './v2-errors.js';

export interface PollOptions {
  /** Longest wait for data, on the broker's fetch purgatory (not a timer of our own). */
  readonly timeoutMs: number;
  /** Budget for keys and values in the response; the first record is returned even if larger, as Kafka's fetch. */
  readonly maxBytes: number;
}

/**
 * A records request of a v2 consumer instance: one `BrokerApi.fetch` over the assigned
 * partitions from their positions (the same fetch path Kafka clients use), waiting up
 * to `timeoutMs` for `fetch.min.bytes`, then the returned batches decoded and the
 * positions advanced past what is handed out. Control batches (transaction markers) are
 * skipped, never returned as records.
 */
export async function pollRecords(broker: BrokerApi, instance: ConsumerInstance, options: PollOptions): Promise<V2ConsumerRecord[]> {
  const positions = instance.rotatedPositions();
  if (positions.length === 0) return [];
  for (const position of positions) await resolvePosition(broker, instance, position);

  const results = await broker.fetch(
    positions.map((p) => ({ topic: p.topic, partition: p.partition, fetchOffset: p.offset as bigint, maxBytes: options.maxBytes })),
    { maxWaitMs: options.timeoutMs, minBytes: Math.max(1, instance.fetchMinBytes) },
  );

  const out: V2ConsumerRecord[] = [];
  let bytes = 0;
  for (const result of results) {
    const position = instance.position(result.topic, result.partition);
    if (position === undefined || position.offset === undefined) continue; // unassigned meanwhile
    if (result.errorCode === KAFKA_ERRORS.OFFSET_OUT_OF_RANGE.code) {
      // As a Kafka consumer with auto.offset.reset: the next request starts from the reset point.
      position.offset = undefined;
      continue;
    }
    if (result.errorCode === KAFKA_ERRORS.UNKNOWN_TOPIC_OR_PARTITION.code) throw V2_ERRORS.partitionNotFound(result.topic, result.partition);
    if (result.errorCode !== 0) continue; // retriable (e.g. leadership moving): nothing from it this time
    for (const batch of iterateBatches(result.records, 0, { allowPartialTail: true, verifyCrc: false })) {
      if (batch.lastOffset < position.offset) continue;
      if (batch.isControl) {
        position.offset = batch.lastOffset + 1n;
        continue;
      }
      for (const record of batch.records) {
        if (record.offset < position.offset) continue;
        const size = recordSize(record);
        if (out.length > 0 && bytes + size > options.maxBytes) return out;
        let converted: V2ConsumerRecord;
        try {
          converted = toV2Record(result.topic, result.partition, record, instance.format);
        } catch (err) {
          // Hand out what came before the undecodable record; the next request fails on it.
          if (out.length > 0) return out;
          throw err;
        }
        out.push(converted);
        bytes += size;
        position.offset = record.offset + 1n;
      }
      // Offsets of records removed by compaction are skipped with the batch.
      if (position.offset <= batch.lastOffset) position.offset = batch.lastOffset + 1n;
    }
  }
  return out;
}

/** Fills an undecided position from auto.offset.reset (Kafka's ListOffsets: -2 earliest, -1 latest). */
export async function resolvePosition(broker: BrokerApi, instance: ConsumerInstance, position: PartitionPosition): Promise<void> {
  if (position.offset !== undefined) return;
  const timestamp = instance.autoOffsetReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  position.offset = await listOffsetOrThrow(broker, position.topic, position.partition, timestamp);
}

export async function listOffsetOrThrow(broker: BrokerApi, topic: string, partition: number, timestamp: bigint): Promise<bigint> {
  const found = await broker.listOffset(topic, partition, timestamp);
  if (found === undefined) throw V2_ERRORS.partitionNotFound(topic, partition);
  return found.offset;
}

function recordSize(record: DecodedRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return size;
}

function toV2Record(topic: string, partition: number, record: DecodedRecord, format: V2EmbeddedFormat): V2ConsumerRecord {
  return {
    topic,
    key: embed(record.key, format, record, 'key'),
    value: embed(record.value, format, record, 'value'),
    partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    headers: record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('base64') })),
  };
}

function embed(bytes: Buffer | null, format: V2EmbeddedFormat, record: DecodedRecord, field: 'key' | 'value'): unknown {
  if (bytes === null) return null;
  switch (format) {
    case 'binary':
      return bytes.toString('base64');
    case 'json':
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
      } catch {
        // A JSON consumer cannot represent these bytes: fail at this record, as Kafka's
        // JSON deserializer does, and say how to get past it.
        throw V2_ERRORS.jsonConversion(
          `the ${field} at offset ${record.offset} is not valid JSON; read it with a binary consumer or seek past it`,
        );
      }
    default: {
      const unknownFormat: never = format;
      throw new Error(`unknown format ${String(unknownFormat)}`);
    }
  }
}
