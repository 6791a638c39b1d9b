import type { AppendEntry, AppendOptions, AppendResult } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { errorCodeOf } from '../broker/error-codes.js';
import { KAFKA_ERRORS as E } from '../errors.js';
import { CompressionType } from '../log/batch/batch-header.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import type { Time } from '../time.js';
import { CONSUMER_OFFSETS_TOPIC, groupMetadataRecord, offsetCommitRecord } from './consumer-offsets-record.js';
import type { GroupMetadata } from './group-metadata.js';
import { makeGroupMetadataMember, type GroupMetadataValue } from './group-metadata-value.js';
import type { OffsetWrite } from './group-offsets.js';
import type { TopicPartitionRef } from './group-results.js';

export type AppendRecords = (entries: readonly AppendEntry[], options: AppendOptions) => Promise<AppendResult[]>;

export interface GroupStoreContext {
  /** The broker's produce path (ReplicaManager.appendRecords): leader checks, acks=all, the produce purgatory. */
  readonly append: AppendRecords;
  readonly time: Time;
  readonly logger: BrokerLogger;
  /** offsets.commit.timeout.ms: how long an append waits for the ISR. */
  readonly commitTimeoutMs: number;
  /** The offsets partition of a group. */
  readonly partitionFor: (groupId: string) => number;
}

/** The transactional producer a batch is written for (TxnOffsetCommit). */
export interface TxnProducer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** Where an acknowledged append landed, or why it failed (the broker's produce error code). */
export interface AppendOutcome {
  readonly errorCode: number;
  readonly baseOffset: bigint;
}

const EMPTY = Buffer.alloc(0);

/**
 * Writes a group's records to its `__consumer_offsets` partition through the broker's own
 * append path with acks=all (Kafka's offsets.commit.required.acks), as one uncompressed
 * batch per call: group metadata when a generation is stored, offset commits, and
 * tombstones when offsets or groups go. The promise settles once the append is
 * acknowledged (the HW covers it) or failed; callers update the in-memory state then.
 *
 * Appends to one partition are issued in call order (the log assigns offsets when
 * `append` is called, before its first await), so a later write always lands later.
 *
 * Transactional offset commits go as one transactional batch carrying the producer's id
 * and epoch (no sequence: the coordinator, not the client, writes it) with the
 * 'coordinator' origin, so the log opens the producer's transaction on the partition and
 * its LSO holds until the marker.
 */
export class GroupStore {
  constructor(private readonly ctx: GroupStoreContext) {}

  async write(groupId: string, records: readonly { key: Buffer; value: Buffer | null }[], txn?: TxnProducer): Promise<AppendOutcome> {
    const nowMs = this.ctx.time.milliseconds();
    let appending: Promise<AppendResult[]>;
    try {
      const batch = encodeRecordBatch({
        records: records.map((r) => ({ key: r.key, value: r.value, timestamp: nowMs })), defaultTimestamp: nowMs, compression: CompressionType.NONE,
        ...(txn === undefined ? {} : { isTransactional: true, producerId: txn.producerId, producerEpoch: txn.producerEpoch, baseSequence: -1 }),
      });
      const options: AppendOptions = { acks: -1, timeoutMs: this.ctx.commitTimeoutMs, ...(txn === undefined ? {} : { origin: 'coordinator' as const }) };
      appending = this.ctx.append([{ topic: CONSUMER_OFFSETS_TOPIC, partition: this.ctx.partitionFor(groupId), records: batch }], options);
    } catch (err) {
      this.ctx.logger.error(`writing records of group ${groupId} failed`, err);
      return { errorCode: errorCodeOf(err).errorCode, baseOffset: -1n };
    }
    const [result] = await appending;
    return { errorCode: result!.errorCode, baseOffset: result!.baseOffset };
  }

  /**
   * The group's metadata record for its current generation, with `assignment` (empty
   * buffers for members missing from it). Resolves with the error to answer, mapped as
   * Kafka's storeGroup maps append errors.
   */
  async storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): Promise<number> {
    const { errorCode } = await this.write(group.groupId, [groupMetadataRecord(group.groupId, groupMetadataValueOf(group, assignment))]);
    if (errorCode !== E.NONE.code && errorCode !== E.NOT_LEADER_OR_FOLLOWER.code) this.ctx.logger.warn(`storing metadata of group ${group.groupId} failed with error ${errorCode}`);
    return coordinatorError(errorCode, E.UNKNOWN_SERVER_ERROR.code, true);
  }

  /** Offset commit records (one transactional batch with `txn`); resolves with the outcome, its error mapped as Kafka's storeOffsets maps it. */
  async storeOffsets(groupId: string, writes: readonly OffsetWrite[], txn?: TxnProducer): Promise<AppendOutcome> {
    const outcome = await this.write(groupId, writes.map((w) => offsetCommitRecord(groupId, w.topic, w.partition, w.value)), txn);
    return { errorCode: coordinatorError(outcome.errorCode, E.INVALID_COMMIT_OFFSET_SIZE.code, false), baseOffset: outcome.baseOffset };
  }

  /**
   * Tombstones for removed offsets, and for the group itself when `groupGone`. Failures are
   * logged only, as in Kafka: the in-memory state already forgot them, and a lost
   * tombstone is written again by the next removal or expiration pass that finds them.
   */
  async writeTombstones(groupId: string, offsets: readonly TopicPartitionRef[], groupGone: boolean): Promise<void> {
    const records = offsets.map((o) => offsetCommitRecord(groupId, o.topic, o.partition, null));
    if (groupGone) records.push(groupMetadataRecord(groupId, null));
    if (records.length === 0) return;
    const { errorCode } = await this.write(groupId, records);
    if (errorCode !== E.NONE.code) this.ctx.logger.warn(`writing ${records.length} tombstone(s) of group ${groupId} failed with error ${errorCode}`);
  }
}

/** What Kafka 3.7 stores for a generation (GroupMetadataValue v3). */
export function groupMetadataValueOf(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): GroupMetadataValue {
  const protocol = group.protocolName;
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestampMs: group.stateTimestampMs,
    members: group.allMembers().map((m) => makeGroupMetadataMember({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs, sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: protocol === null ? EMPTY : m.metadata(protocol), assignment: assignment.get(m.memberId) ?? EMPTY,
    })),
  };
}

/**
 * An append error as the coordinator answers it (Kafka's storeGroup and storeOffsets
 * mappings): the offsets partition unavailable or under-replicated is
 * COORDINATOR_NOT_AVAILABLE, led elsewhere NOT_COORDINATOR, a record too large `tooLarge`.
 */
function coordinatorError(code: number, tooLarge: number, timedOutMeansUnavailable: boolean): number {
  switch (code) {
    case E.UNKNOWN_TOPIC_OR_PARTITION.code:
    case E.NOT_ENOUGH_REPLICAS.code:
    case E.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code:
      return E.COORDINATOR_NOT_AVAILABLE.code;
    case E.REQUEST_TIMED_OUT.code:
      return timedOutMeansUnavailable ? E.COORDINATOR_NOT_AVAILABLE.code : code;
    case E.NOT_LEADER_OR_FOLLOWER.code:
    case E.KAFKA_STORAGE_ERROR.code:
      return E.NOT_COORDINATOR.code;
    case E.MESSAGE_TOO_LARGE.code:
    case E.RECORD_LIST_TOO_LARGE.code:
    case E.INVALID_FETCH_SIZE.code:
      return tooLarge;
    default:
      return code;
  }
}
