import { type BrokerApi, GroupClientMember, isKafkaError, KAFKA_ERRORS, type Scheduler, type TopicPartitions } from '@weir/broker-core';
import type { TopicPartition } from '@weir/contracts';
import type { ConsumerInstance } from './consumer-instance.js';
import { V2_ERRORS } from './v2-errors.js';

/** Retry wait after a coordinator error (Kafka's retry.backoff.ms). */
const RETRY_BACKOFF_MS = 100;

export interface OffsetToCommit extends TopicPartition {
  /** The next offset to read (what Kafka stores). */
  readonly offset: bigint;
  readonly metadata: string;
}

/**
 * The group side of v2 consumer instances: a subscription makes the instance a member of
 * its group (GroupClientMember, run on the gateway's timer), whose assignments replace
 * the instance's partitions; positions of newly assigned partitions come from the group's
 * committed offsets (then auto.offset.reset, in the poll path); commits carry the member's
 * generation and id. Assignment changes run inside the instance's exclusive section, so
 * they never interleave with a records request; subscribing and leaving run outside it
 * (a join waits for the rest of the group, and an eager rebalance revokes through it).
 */
export class ConsumerSubscriptions {
  constructor(
    private readonly broker: BrokerApi,
    private readonly scheduler: Scheduler,
    private readonly log: (message: string) => void,
  ) {}

  /** Joins (or re-subscribes) the instance's group; rejects for a coordinator this gateway cannot use. */
  async subscribe(instance: ConsumerInstance, topics: string[] | undefined, pattern: string | undefined, clientHost: string): Promise<void> {
    if (instance.member === undefined && instance.assignment().length > 0) throw V2_ERRORS.mutuallyExclusive();
    const resolved = topics ?? this.matching(pattern ?? '');
    const member = instance.member ?? this.newMember(instance, clientHost);
    instance.member = member;
    try {
      await member.subscribe(resolved);
    } catch (err) {
      instance.member = undefined;
      await member.leave('subscription failed');
      throw this.toRestError(instance, err);
    }
  }

  /** DELETE .../subscription and instance removal: LeaveGroup (after an auto commit). */
  async unsubscribe(instance: ConsumerInstance): Promise<void> {
    const member = instance.member;
    if (member === undefined) return;
    await member.leave('the REST consumer instance unsubscribed or was closed');
    instance.member = undefined;
  }

  /** Fills undecided positions from the group's committed offsets (the rest from auto.offset.reset later). */
  async positionsFromCommitted(instance: ConsumerInstance): Promise<void> {
    const undecided = instance.positionsList().filter((p) => p.offset === undefined);
    if (undecided.length === 0) return;
    const committed = await this.committed(instance, undecided);
    for (const c of committed) {
      const position = instance.position(c.topic, c.partition);
      if (position !== undefined && position.offset === undefined) position.offset = c.offset;
    }
  }

  /** Committed offsets of the partitions asked; partitions without a commit are left out. */
  async committed(instance: ConsumerInstance, partitions: readonly TopicPartition[]): Promise<{ topic: string; partition: number; offset: bigint; metadata: string }[]> {
    const all = await this.broker.fetchConsumerGroupOffsets(instance.group).catch((err: unknown) => {
      if (isKafkaError(err, 'GROUP_ID_NOT_FOUND')) return [];
      throw err;
    });
    const wanted = new Set(partitions.map((p) => `${p.topic}\u0000${p.partition}`));
    return all.filter((o) => wanted.has(`${o.topic}\u0000${o.partition}`));
  }

  /** Commits with the member's generation and id (a simple commit for a manually assigned instance). */
  async commit(instance: ConsumerInstance, offsets: readonly OffsetToCommit[], generationId = instance.member?.generationId ?? -1): Promise<void> {
    if (offsets.length === 0) return;
    const results = await this.broker.commitConsumerGroupMemberOffsets({
      groupId: instance.group, generationId, memberId: instance.member?.memberId ?? '', groupInstanceId: null, retentionTimeMs: -1,
      offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, leaderEpoch: -1, metadata: o.metadata, commitTimestampMs: -1 })),
    }).catch((err: unknown) => {
      throw this.toRestError(instance, err);
    });
    const failed = results.find((r) => r.errorCode !== 0);
    if (failed !== undefined) throw V2_ERRORS.commitFailed(failed.topic, failed.partition, failed.errorCode);
  }

  /** The instance's decided positions, as a commit of "everything consumed". */
  currentPositions(instance: ConsumerInstance): OffsetToCommit[] {
    return instance.positionsList().flatMap((p) => (p.offset === undefined ? [] : [{ topic: p.topic, partition: p.partition, offset: p.offset, metadata: '' }]));
  }

  /** auto.commit.enable: positions after a records request; a failure is logged, the next poll commits again. */
  async autoCommit(instance: ConsumerInstance): Promise<void> {
    if (!instance.autoCommit) return;
    try {
      await this.commit(instance, this.currentPositions(instance));
    } catch (err) {
      this.log(`auto commit of ${instance.group}/${instance.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private newMember(instance: ConsumerInstance, clientHost: string): GroupClientMember {
    const s = instance.groupSettings;
    return new GroupClientMember({
      groupId: instance.group, clientId: instance.name, clientHost, assignors: s.assignors,
      sessionTimeoutMs: s.sessionTimeoutMs, rebalanceTimeoutMs: s.rebalanceTimeoutMs, heartbeatIntervalMs: s.heartbeatIntervalMs,
      retryBackoffMs: RETRY_BACKOFF_MS, scheduler: this.scheduler,
      calls: this.broker,
      partitionCounts: (topics) => this.partitionCounts(topics),
      onAssignment: (partitions, generationId) => this.onAssignment(instance, partitions, generationId),
    });
  }

  /** A new assignment: an auto-committing instance commits what it gives up first (Kafka's onPartitionsRevoked). */
  private onAssignment(instance: ConsumerInstance, partitions: TopicPartitions[], generationId: number): Promise<void> {
    return instance.exclusive(async () => {
      const next = new Set(partitions.flatMap((t) => t.partitions.map((p) => `${t.topic}\u0000${p}`)));
      if (instance.autoCommit && generationId >= 0) {
        const revoked = this.currentPositions(instance).filter((p) => !next.has(`${p.topic}\u0000${p.partition}`));
        await this.commit(instance, revoked, generationId).catch((err: unknown) => this.log(`commit on revocation failed: ${String(err)}`));
      }
      instance.assign(partitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))));
    });
  }

  private partitionCounts(topics: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const topic of topics) {
      try {
        counts.set(topic, this.broker.describeTopic(topic).partitions.length);
      } catch {
        // Unknown topic: left out, as Kafka's assignors skip topics without metadata.
      }
    }
    return counts;
  }

  /** Topics whose whole name matches the pattern (Java's Pattern.matches), internal topics excluded. */
  private matching(pattern: string): string[] {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch (err) {
      throw V2_ERRORS.invalidBody(`topic_pattern is not a valid regular expression: ${(err as Error).message}`);
    }
    return this.broker.listTopics().map((t) => t.name).filter((name) => regex.test(name));
  }

  private toRestError(instance: ConsumerInstance, err: unknown): Error {
    if (isKafkaError(err, 'NOT_COORDINATOR')) return V2_ERRORS.coordinatorElsewhere(instance.group, err.message);
    if (isKafkaError(err) && err.code === KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code) return V2_ERRORS.coordinatorElsewhere(instance.group, err.message);
    return err instanceof Error ? err : new Error(String(err));
  }
}
