import type { PartitionDescription, TopicDescription } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import type { RemotePartitions, PartitionOffsets } from './remote-partitions.js';

/** How old a remote partition's offsets may be before a read asks its leader again. */
export const REMOTE_OFFSETS_MAX_AGE_MS = 1000;

/**
 * Log offsets of partitions led by another process's broker, for the synchronous topic
 * descriptions of the REST door: a description shows what the leader last said (asked
 * over the Kafka protocol, at most one request per partition in flight) and asks again in
 * the background once that is older than REMOTE_OFFSETS_MAX_AGE_MS, so a page that
 * refreshes sees current figures a moment later without waiting on another broker.
 */
export class RemoteOffsetsCache {
  private readonly entries = new Map<string, { offsets: PartitionOffsets; atMs: number }>();
  private readonly pending = new Set<string>();

  constructor(private readonly remote: RemotePartitions, private readonly nowMs: () => number, private readonly logger: BrokerLogger) {}

  /** `topic` with the remote leaders' log start and HW on the partitions `isRemote` picks. */
  apply(topic: TopicDescription, isRemote: (p: PartitionDescription) => boolean): TopicDescription {
    let partitions: PartitionDescription[] | undefined;
    for (let i = 0; i < topic.partitions.length; i++) {
      const p = topic.partitions[i]!;
      if (!isRemote(p)) continue;
      const known = this.get(topic.name, p.partition);
      if (known === undefined) continue;
      partitions ??= [...topic.partitions];
      partitions[i] = { ...p, logStartOffset: known.logStartOffset, highWatermark: known.highWatermark };
    }
    return partitions === undefined ? topic : { ...topic, partitions };
  }

  private get(topic: string, partition: number): PartitionOffsets | undefined {
    const key = `${topic}-${partition}`;
    const entry = this.entries.get(key);
    if ((entry === undefined || this.nowMs() - entry.atMs > REMOTE_OFFSETS_MAX_AGE_MS) && !this.pending.has(key)) {
      this.pending.add(key);
      this.remote.partitionOffsets(topic, partition).then(
        (offsets) => this.entries.set(key, { offsets, atMs: this.nowMs() }),
        (err: unknown) => this.logger.info(`offsets of ${key} from its leader: ${String(err)}`),
      ).finally(() => this.pending.delete(key));
    }
    return entry?.offsets;
  }

  forget(topic: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${topic}-`) && /^\d+$/.test(key.slice(topic.length + 1))) this.entries.delete(key);
  }
}
