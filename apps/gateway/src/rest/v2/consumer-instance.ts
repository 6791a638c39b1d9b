import type { GroupClientMember } from '@weir/broker-core';
import type { CreateConsumerSettings, TopicPartition, V2EmbeddedFormat } from '@weir/contracts';
import type { GroupSettings } from './v2-group-settings.js';

/** Where an assigned partition will be read next; undefined until reset policy or a seek decides. */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  offset: bigint | undefined;
}

/**
 * One v2 consumer instance: its settings, the assigned partitions and their positions.
 * Partitions are assigned either manually (`assign`) or by the group through `member`
 * (a subscription, consumer-subscriptions.ts), never both. Requests on one instance run one at a time
 * (`exclusive`), as a Kafka consumer is single-threaded: two concurrent records
 * requests would otherwise hand out the same records twice.
 */
export class ConsumerInstance {
  readonly format: V2EmbeddedFormat;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly fetchMinBytes: number;
  readonly requestTimeoutMs: number;
  readonly autoCommit: boolean;
  /** How the instance joins its group once it subscribes. */
  readonly groupSettings: GroupSettings;
  /** The group membership while subscribed. */
  member: GroupClientMember | undefined;
  /** Monotonic ms of the last request; the expiry task compares against it. */
  lastActiveMs: number;
  /** Requests in progress; an instance is never expired under a running request. */
  inFlight = 0;
  closed = false;

  private readonly positions = new Map<string, PartitionPosition>();
  /** Rotates the partition a records request starts with, so one busy partition cannot starve the others. */
  private cursor = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly group: string,
    readonly name: string,
    settings: CreateConsumerSettings,
    groupSettings: GroupSettings,
    nowMs: number,
  ) {
    this.groupSettings = groupSettings;
    this.autoCommit = settings['auto.commit.enable'];
    this.format = settings.format;
    this.autoOffsetReset = settings['auto.offset.reset'];
    this.fetchMinBytes = settings['fetch.min.bytes'];
    this.requestTimeoutMs = settings['consumer.request.timeout.ms'];
    this.lastActiveMs = nowMs;
  }

  /** Replaces the assignment; positions of partitions that stay assigned are kept, as Kafka's assign() does. */
  assign(partitions: readonly TopicPartition[]): void {
    const next = new Map<string, PartitionPosition>();
    for (const { topic, partition } of partitions) {
      const k = key(topic, partition);
      next.set(k, this.positions.get(k) ?? { topic, partition, offset: undefined });
    }
    this.positions.clear();
    for (const [k, v] of next) this.positions.set(k, v);
  }

  assignment(): TopicPartition[] {
    return [...this.positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Every assigned partition with its position (decided or not). */
  positionsList(): PartitionPosition[] {
    return [...this.positions.values()];
  }

  position(topic: string, partition: number): PartitionPosition | undefined {
    return this.positions.get(key(topic, partition));
  }

  /** Assigned partitions, starting at a different one on each call. */
  rotatedPositions(): PartitionPosition[] {
    const all = [...this.positions.values()];
    if (all.length === 0) return all;
    const start = this.cursor++ % all.length;
    return [...all.slice(start), ...all.slice(0, start)];
  }

  /** Runs `work` after every earlier request on this instance has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
