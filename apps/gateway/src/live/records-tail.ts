import type { BrokerApi } from '@weir/broker-core';
import { recordsChannelParts, type LiveChannel, type LiveServerFrame } from '@weir/contracts';
import { renderRecord, type RenderFormats } from '../records/record-render.js';
import type { SampledChannelSource } from './sampled-channel.js';

/** Bounds of one channel's frame per sample; a faster producer is caught up over the next samples. */
const TAIL_MAX_RECORDS = 500;
const TAIL_MAX_BYTES = 1024 * 1024;
/** As the message browser's preview: base64 (the console detects the format), long fields cut. */
const TAIL_FORMATS: RenderFormats = { key: 'base64', value: 'base64', header: 'base64', maxFieldBytes: 4096 };

type Partition = { topic: string; partition: number };
type RecordsFrame = Extract<LiveServerFrame, { type: 'records' }>;

/**
 * The `records:<topic>:<partition>` channels: a live tail. Each watched channel keeps one
 * cursor, the partition's HW when its first subscriber came; each sample reads from the
 * cursor up to the HW (bounded by TAIL_MAX_RECORDS and TAIL_MAX_BYTES), publishes what it
 * read to every subscriber of the channel and advances, so N viewers cost one read. One
 * read per channel runs at a time. A read that fails publishes nothing; when the cursor
 * has left the log (records deleted, or the log truncated after a leader change) it is
 * moved back into [log start, HW] and the tail goes on from there.
 */
export class RecordsTail implements SampledChannelSource {
  private readonly cursors = new Map<LiveChannel, bigint>();
  private readonly reading = new Set<LiveChannel>();

  constructor(private readonly broker: BrokerApi) {}

  serves(channel: LiveChannel): boolean {
    return channel.startsWith('records:');
  }

  /** Where the tail starts, or an error frame for a topic or partition that does not exist. */
  snapshot(channel: LiveChannel, send: (frame: LiveServerFrame) => void): void {
    const parts = recordsChannelParts(channel)!;
    try {
      const { highWatermark } = this.bounds(parts);
      if (!this.cursors.has(channel)) this.cursors.set(channel, highWatermark);
      send(frameOf(channel, parts, [], this.cursors.get(channel)!, highWatermark));
    } catch (err) {
      send({ type: 'error', message: `${channel}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  sample(channels: ReadonlySet<LiveChannel>, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): void {
    for (const channel of channels) {
      if (this.reading.has(channel)) continue;
      this.reading.add(channel);
      void this.advance(channel, publish).finally(() => this.reading.delete(channel));
    }
  }

  release(channel: LiveChannel): void {
    this.cursors.delete(channel);
  }

  private async advance(channel: LiveChannel, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): Promise<void> {
    const parts = recordsChannelParts(channel)!;
    try {
      const cursor = this.cursors.get(channel);
      // A channel whose topic did not exist at subscription starts when it does.
      if (cursor === undefined) return void this.cursors.set(channel, this.bounds(parts).highWatermark);
      const page = await this.broker.readRecords(parts.topic, parts.partition, {
        start: { offset: cursor },
        direction: 'forward',
        maxRecords: TAIL_MAX_RECORDS,
        maxBytes: TAIL_MAX_BYTES,
      });
      if (!this.cursors.has(channel)) return; // released while reading
      this.cursors.set(channel, page.nextOffset);
      if (page.records.length === 0) return;
      const records = page.records.map((r) => renderRecord(r, TAIL_FORMATS));
      publish(channel, frameOf(channel, parts, records, page.nextOffset, page.highWatermark));
    } catch {
      this.recover(channel, parts);
    }
  }

  private recover(channel: LiveChannel, parts: Partition): void {
    const cursor = this.cursors.get(channel);
    if (cursor === undefined) return;
    try {
      const { logStartOffset, highWatermark } = this.bounds(parts);
      this.cursors.set(channel, cursor < logStartOffset ? logStartOffset : cursor > highWatermark ? highWatermark : cursor);
    } catch {
      // The topic is gone or no broker answers now: keep the cursor, the next sample tries again.
    }
  }

  private bounds({ topic, partition }: Partition): { logStartOffset: bigint; highWatermark: bigint } {
    const info = this.broker.describeTopic(topic).partitions[partition];
    if (info === undefined) throw new Error(`topic ${topic} has no partition ${partition}`);
    return info;
  }
}

function frameOf(channel: LiveChannel, parts: Partition, records: RecordsFrame['records'], nextOffset: bigint, highWatermark: bigint): RecordsFrame {
  return { type: 'records', channel, ...parts, records, next_offset: Number(nextOffset), high_watermark: Number(highWatermark) };
}
