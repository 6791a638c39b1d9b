import type { ReadRecordsResponse } from '@weir/contracts';
import { consumeJson, type ConsumeOptions } from '../support/kcat.js';

/**
 * Records read back through the two other doors, in one comparable shape: bytes as hex
 * (null stays null), so that equal means byte-identical and a difference reads well.
 */
export interface SeenRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly (readonly [string, string | null])[];
}

const hex = (b: Buffer | string | null | undefined): string | null => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'));

/** What a producer sent, in the same shape (strings as UTF-8). */
export function sent(partition: number, offset: number, timestamp: number, key: Buffer | string | null, value: Buffer | string | null, headers: readonly (readonly [string, Buffer | string | null])[] = []): SeenRecord {
  return { partition, offset, timestamp, key: hex(key), value: hex(value), headers: headers.map(([k, v]) => [k, hex(v)] as const) };
}

/** Every record of one partition through Weir's REST read endpoint (hex format), page by page. */
export async function restRecords(baseUrl: string, clusterId: string, topic: string, partition: number): Promise<SeenRecord[]> {
  const records: SeenRecord[] = [];
  let next = -1;
  for (;;) {
    const start = next < 0 ? 'from=oldest' : `offset=${next}`;
    const res = await fetch(`${baseUrl}/v3/clusters/${clusterId}/topics/${topic}/partitions/${partition}/records?${start}&format=hex&max_records=10000`);
    if (res.status !== 200) throw new Error(`REST read ${topic}/${partition}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as ReadRecordsResponse;
    for (const r of page.records) {
      records.push({
        partition: r.partition_id,
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key === null ? null : (r.key.data as string),
        value: r.value === null ? null : (r.value.data as string),
        headers: r.headers.map((h) => [h.key, h.value === null ? null : (h.value.data as string)] as const),
      });
    }
    if (page.records.length === 0 || page.next_offset >= page.high_watermark) return records;
    next = page.next_offset;
  }
}

/** Every record of a topic (or one partition) through kcat -C -J, byte-exact. */
export async function kcatRecords(bootstrap: string, topic: string, options: ConsumeOptions = {}): Promise<SeenRecord[]> {
  return (await consumeJson(bootstrap, topic, options)).map((r) => ({
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: hex(r.key),
    value: hex(r.value),
    headers: r.headers.map(([k, v]) => [k, hex(v)] as const),
  }));
}

/** Polls `read` until it returns at least `count` items or the deadline passes (then returns what it has). */
export async function readUntil<T>(read: () => Promise<T[]>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await read();
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
