import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { waitFor } from '../support/cluster-rest.js';
import { kafkaClient } from '../support/kafkajs.js';

export type Isolation = 'read_committed' | 'read_uncommitted';

export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string;
}

/**
 * Every record of a topic as a kafkajs consumer sees it under `isolation`, from the
 * beginning up to `ends` (one exclusive end offset per partition, e.g. the high
 * watermarks once nothing is open), in a group of its own. kafkajs drops control records
 * and, under read_committed, the records of the aborted transactions the broker lists.
 *
 * The read is over once the consumer has processed a batch reaching end - 1 in every
 * partition: batches left empty by that filtering count too (kafkajs reports them through
 * END_BATCH_PROCESS as well), so a partition ending in a marker is not waited on forever.
 * Records come back in partition, then offset order.
 */
export async function readTopic(bootstrap: string, topic: string, isolation: Isolation, ends: readonly bigint[], timeoutMs = 30_000): Promise<ReadRecord[]> {
  const kafka: Kafka = kafkaClient(bootstrap, { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 });
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}`, readUncommitted: isolation === 'read_uncommitted', maxWaitTimeInMs: 200, sessionTimeout: 10_000 });
  const records: ReadRecord[] = [];
  const reached = ends.map(() => -1n);
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const last = BigInt(e.payload.lastOffset);
    if (last > reached[e.payload.partition]!) reached[e.payload.partition] = last;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) records.push({ partition: batch.partition, offset: BigInt(m.offset), key: m.key?.toString() ?? null, value: m.value!.toString() });
      },
    });
    await waitFor(`${topic} read ${isolation} to ${ends.join(', ')}`, async () => ends.every((end, p) => end === 0n || reached[p]! >= end - 1n), timeoutMs, 50);
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

/** How often each value occurs. */
export function countValues(records: readonly ReadRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.value, (counts.get(r.value) ?? 0) + 1);
  return counts;
}
