import type { Broker } from '../../libs/broker-core/src/broker/broker.js';

const MiB = 1024 * 1024;

/**
 * Stored bytes and batch count of a partition, walking record batch headers (baseOffset
 * int64, length int32 at 8, lastOffsetDelta int32 at 23) through the broker's fetch path.
 */
export async function storedBatches(broker: Broker, topic: string, partition: number): Promise<{ bytes: number; batches: number }> {
  let offset = 0n;
  let bytes = 0;
  let batches = 0;
  const end = broker.describeTopic(topic).partitions[partition]!.highWatermark;
  while (offset < end) {
    const [result] = await broker.fetch([{ topic, partition, fetchOffset: offset, maxBytes: 16 * MiB }]);
    const records = result!.records;
    if (records.length === 0) throw new Error(`no data at ${topic}-${partition}@${offset}`);
    let pos = 0;
    while (pos + 61 <= records.length) {
      const size = 12 + records.readInt32BE(pos + 8);
      if (pos + size > records.length) break;
      offset = records.readBigInt64BE(pos) + BigInt(records.readInt32BE(pos + 23)) + 1n;
      bytes += size;
      batches++;
      pos += size;
    }
  }
  return { bytes, batches };
}

/** storedBatches summed over every partition of a topic, with the message count (sum of high watermarks). */
export async function storedTopic(broker: Broker, topic: string): Promise<{ messages: number; bytes: number; batches: number }> {
  const partitions = broker.describeTopic(topic).partitions;
  let bytes = 0;
  let batches = 0;
  for (let p = 0; p < partitions.length; p++) {
    const s = await storedBatches(broker, topic, p);
    bytes += s.bytes;
    batches += s.batches;
  }
  return { messages: partitions.reduce((n, p) => n + Number(p.highWatermark), 0), bytes, batches };
}
