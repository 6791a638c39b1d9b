import { partitionForKey } from './murmur2.js';

/**
 * Kafka's default partitioner as the Java producer applies it: a keyed record goes to
 * murmur2(key) mod partitions; a record without key goes to the topic's sticky
 * partition, which changes once a batch has been sent (KIP-480), so small null-key
 * batches fill one partition at a time instead of scattering one record per partition.
 *
 * State: one sticky partition per topic. `random` is injectable so tests can pin it.
 */
export class DefaultPartitioner {
  private readonly sticky = new Map<string, number>();

  constructor(private readonly random: () => number = Math.random) {}

  partition(topic: string, key: Uint8Array | null, numPartitions: number): number {
    if (key !== null) return partitionForKey(key, numPartitions);
    const current = this.sticky.get(topic);
    if (current !== undefined && current < numPartitions) return current;
    const chosen = Math.floor(this.random() * numPartitions);
    this.sticky.set(topic, chosen);
    return chosen;
  }

  /** A batch for the sticky partition went out: the next null-key batch picks another partition. */
  onNewBatch(topic: string, numPartitions: number): void {
    const previous = this.sticky.get(topic);
    if (previous === undefined) return;
    if (numPartitions <= 1) {
      this.sticky.set(topic, 0);
      return;
    }
    // A uniform pick among the other partitions.
    const offset = 1 + Math.floor(this.random() * (numPartitions - 1));
    this.sticky.set(topic, (previous + offset) % numPartitions);
  }

  forgetTopic(topic: string): void {
    this.sticky.delete(topic);
  }
}
