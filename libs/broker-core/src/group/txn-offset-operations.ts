import type { BrokerDefaults } from '../broker/broker-options.js';
import type { TopicTable } from '../broker/topic-table.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { Time } from '../time.js';
import type { GroupCache } from './group-cache.js';
import type { GroupMembership } from './group-membership.js';
import type { GroupMetadata } from './group-metadata.js';
import type { OffsetWrite } from './group-offsets.js';
import type { PartitionError, TxnOffsetCommitInput } from './group-results.js';
import type { GroupStore } from './group-store.js';
import { validateOffsetCommit } from './offset-operations.js';

const E = KAFKA_ERRORS;

export interface TxnOffsetOperationsContext {
  readonly cache: GroupCache;
  readonly membership: GroupMembership;
  readonly store: GroupStore;
  readonly table: TopicTable;
  readonly time: Time;
  readonly defaults: BrokerDefaults;
  readonly partitionFor: (groupId: string) => number;
}

/** How a transaction ended on an offsets partition (the marker written there). */
export type TxnResult = 'COMMIT' | 'ABORT';

/**
 * Offsets committed inside transactions (Kafka's handleTxnCommitOffsets, the
 * transactional half of storeOffsets, and handleTxnCompletion): a TxnOffsetCommit is
 * checked as an OffsetCommit from a producer (member and generation only when the client
 * names them, never REBALANCE_IN_PROGRESS: the transaction decides), written as one
 * transactional batch of the producer, and kept pending per producer id in the group
 * until the transaction's marker reaches the group's offsets partition; then
 * `complete` applies or drops it.
 *
 * Invariant: every group holding pending offsets of a producer is listed under that
 * producer in `openGroups` (Kafka's openGroupsForProducer), so a completion visits only
 * those groups; entries of groups that left this coordinator are dropped at the next
 * completion of the producer or when leadership changes (`prune`).
 */
export class TxnOffsetOperations {
  private readonly openGroups = new Map<bigint, Set<string>>();

  constructor(private readonly ctx: TxnOffsetOperationsContext) {}

  async commit(input: TxnOffsetCommitInput): Promise<PartitionError[]> {
    const { cache, table, defaults } = this.ctx;
    const codes = input.offsets.map((o) => {
      if (table.partition(o.topic, o.partition) === undefined) return E.UNKNOWN_TOPIC_OR_PARTITION.code;
      return (o.metadata?.length ?? 0) > defaults.offsetMetadataMaxBytes ? E.OFFSET_METADATA_TOO_LARGE.code : -1;
    });
    const valid = codes.flatMap((code, i) => (code === -1 ? [i] : []));
    const answer = (code: number): PartitionError[] => input.offsets.map((o, i) => ({ topic: o.topic, partition: o.partition, errorCode: codes[i] === -1 ? code : codes[i]! }));
    if (valid.length === 0) return answer(E.NONE.code);
    const status = cache.validate(input.groupId, 'offsets');
    if (status !== undefined) return answer(status);
    // As Kafka, a transactional commit creates the group whatever its generation: the producer may be ahead of the consumer's join.
    const group = cache.getOrCreate(input.groupId);
    const invalid = validateOffsetCommit(this.ctx.membership, group, input, true);
    if (invalid !== undefined) return answer(invalid);

    const nowMs = this.ctx.time.milliseconds();
    const writes: OffsetWrite[] = valid.map((i) => {
      const o = input.offsets[i]!;
      return {
        topic: o.topic, partition: o.partition,
        value: { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata ?? '', commitTimestampMs: nowMs, expireTimestampMs: -1 },
      };
    });
    const producer = { producerId: input.producerId, producerEpoch: input.producerEpoch };
    this.addOpenGroup(input.producerId, group.groupId);
    const replaced = group.offsets.prepareTxn(input.producerId, writes);
    const outcome = await this.ctx.store.storeOffsets(group.groupId, writes, producer);
    if (!group.is('Dead')) {
      if (outcome.errorCode === E.NONE.code) group.offsets.onTxnAppended(input.producerId, writes, outcome.baseOffset);
      else group.offsets.onTxnAppendFailed(input.producerId, writes, replaced);
    }
    return answer(outcome.errorCode);
  }

  /**
   * The producer's marker was appended to offsets partition `offsetsPartition`: its
   * pending offsets in that partition's groups are committed or dropped. A partition
   * still loading completes after its load (the load may end before the marker); one not
   * led here has nothing to complete (its new coordinator reads the marker).
   */
  complete(offsetsPartition: number, producerId: bigint, result: TxnResult): void {
    this.ctx.cache.whenLoaded(offsetsPartition, () => {
      const groupIds = this.openGroups.get(producerId);
      if (groupIds === undefined) return;
      for (const groupId of [...groupIds]) {
        if (this.ctx.partitionFor(groupId) !== offsetsPartition) continue;
        groupIds.delete(groupId);
        const group = this.ctx.cache.get(groupId);
        if (group === undefined || group.is('Dead')) continue;
        group.offsets.completeTxn(producerId, result === 'COMMIT');
      }
      if (groupIds.size === 0) this.openGroups.delete(producerId);
    });
  }

  /** A group came in from the log: its still-open transactions are listed under their producers. */
  track(group: GroupMetadata): void {
    for (const producerId of group.offsets.pendingProducers()) this.addOpenGroup(producerId, group.groupId);
  }

  /** Leadership changed: producers' entries for groups no longer cached here go. */
  prune(): void {
    for (const [producerId, groupIds] of this.openGroups) {
      for (const groupId of groupIds) if (this.ctx.cache.get(groupId)?.offsets.hasPendingFrom(producerId) !== true) groupIds.delete(groupId);
      if (groupIds.size === 0) this.openGroups.delete(producerId);
    }
  }

  private addOpenGroup(producerId: bigint, groupId: string): void {
    let groupIds = this.openGroups.get(producerId);
    if (groupIds === undefined) this.openGroups.set(producerId, (groupIds = new Set()));
    groupIds.add(groupId);
  }
}
