import { KAFKA_ERRORS } from '../errors.js';

/**
 * What the group coordinator takes and answers, in the protocol's terms but free of its
 * wire versions: the Kafka handlers translate requests into these and results into
 * responses, and a REST door would call the same methods. Error fields are Kafka error
 * codes (KAFKA_ERRORS), 0 for none.
 */

/** One (name, metadata) pair of a JoinGroup's protocols, in the member's order of preference. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupInput {
  readonly groupId: string;
  /** "" for a member joining for the first time. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id. */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader rejoining a stable group is told to skip the assignment. */
  readonly supportSkippingAssignment: boolean;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  readonly reason: string | null;
}

export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

export interface JoinGroupResult {
  readonly errorCode: number;
  readonly memberId: string;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leaderId: string;
  readonly skipAssignment: boolean;
  /** Every member's metadata for the chosen protocol, for the leader only. */
  readonly members: readonly JoinGroupMember[];
}

export function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return { errorCode, memberId, generationId: -1, protocolType: null, protocolName: null, leaderId: '', skipAssignment: false, members: [] };
}

export interface SyncGroupInput {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** SyncGroup v5: checked against the group's when given. */
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** The leader's assignment, by member id; empty from followers. */
  readonly assignments: ReadonlyMap<string, Buffer>;
}

export interface SyncGroupResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

const EMPTY = Buffer.alloc(0);

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

export interface HeartbeatInput {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeavingMember {
  /** "" to remove a static member by its instance id (an administrator's LeaveGroup). */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason: string | null;
}

export interface LeaveGroupResult {
  readonly errorCode: number;
  readonly members: readonly { readonly memberId: string; readonly groupInstanceId: string | null; readonly errorCode: number }[];
}

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface OffsetCommitEntry extends TopicPartitionRef {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  /** OffsetCommit v1's per-partition timestamp; -1 for now. */
  readonly commitTimestampMs: number;
}

export interface OffsetCommitInput {
  readonly groupId: string;
  /** -1 for commits from outside group management ("simple" consumers, admin tools). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** OffsetCommit v2-v4's retention_time_ms; -1 for the broker's offsets.retention.minutes. */
  readonly retentionTimeMs: number;
  readonly offsets: readonly OffsetCommitEntry[];
}

/** TxnOffsetCommit: offsets committed inside the producer's transaction, visible once it commits. */
export interface TxnOffsetCommitInput {
  readonly transactionalId: string;
  readonly groupId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** v3+; -1 (with member "") from older clients and producers outside the group. */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** commitTimestampMs is ignored: a transactional commit is stamped when written. */
  readonly offsets: readonly OffsetCommitEntry[];
}

export interface PartitionError extends TopicPartitionRef {
  readonly errorCode: number;
}

export interface FetchedOffset extends TopicPartitionRef {
  /** -1 when nothing is committed. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly errorCode: number;
}

export interface OffsetFetchResult {
  readonly errorCode: number;
  readonly offsets: readonly FetchedOffset[];
}

export interface OffsetDeleteResult {
  readonly errorCode: number;
  readonly partitions: readonly PartitionError[];
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The member's metadata for the group's protocol, only while the group is Stable. */
  readonly metadata: Buffer;
  readonly assignment: Buffer;
}

export interface GroupDescription {
  readonly errorCode: number;
  readonly groupId: string;
  /** "" with an error; "Dead" for a group this coordinator does not know. */
  readonly state: string;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly GroupMemberDescription[];
  /**
   * Offsets were committed through transactions (TxnOffsetCommit): its consumers read
   * committed. Known to the group's coordinator only (DescribeGroups does not carry it).
   */
  readonly transactional?: boolean;
}

export interface GroupOverview {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: string;
  /** As GroupDescription.transactional. */
  readonly transactional?: boolean;
}

export interface GroupListing {
  readonly errorCode: number;
  readonly groups: readonly GroupOverview[];
}

export interface CoordinatorLookup {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export function coordinatorNotFound(errorCode: number, errorMessage: string | null): CoordinatorLookup {
  return { errorCode, errorMessage, nodeId: -1, host: '', port: -1 };
}

export const NONE = KAFKA_ERRORS.NONE.code;
