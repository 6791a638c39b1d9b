import type { GroupMemberDescription, JoinGroupResult, MemberProtocol, SyncGroupResult } from './group-results.js';

const EMPTY = Buffer.alloc(0);

/**
 * One member of a classic group (Kafka's MemberMetadata): who it is, the protocols it
 * offers with their metadata (a consumer's Subscription for each assignor it supports),
 * its timeouts, the assignment it was last given, and the JoinGroup or SyncGroup it has
 * parked at the coordinator, if any.
 *
 * Invariants: at most one parked JoinGroup and one parked SyncGroup; the group counts
 * members awaiting a join (GroupMetadata.updateMember / maybeInvokeJoinCallback keep that
 * count). A static member's id changes when it rejoins under the same group.instance.id.
 */
export class GroupMember {
  /** The assignment the leader gave in the current generation (empty until then). */
  assignment: Buffer = EMPTY;
  awaitingJoin: ((result: JoinGroupResult) => void) | undefined;
  awaitingSync: ((result: SyncGroupResult) => void) | undefined;
  /** Added in the rebalance under way: it has no session to expire until it gets its join answer. */
  isNew = false;
  heartbeatSatisfied = false;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: readonly MemberProtocol[],
  ) {}

  get isStatic(): boolean { return this.groupInstanceId !== null; }
  get isAwaitingJoin(): boolean { return this.awaitingJoin !== undefined; }
  get isAwaitingSync(): boolean { return this.awaitingSync !== undefined; }

  /**
   * Whether the heartbeat expected of it has arrived: a member parked in a rebalance
   * counts as alive (its client cannot heartbeat while the request waits), except a new
   * member, whose only expectation is the join timeout.
   */
  get hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return this.heartbeatSatisfied;
    if (this.isAwaitingJoin || this.isAwaitingSync) return true;
    return this.heartbeatSatisfied;
  }

  /** Its metadata for `protocol`, which every member of the group supports once it is chosen. */
  metadata(protocol: string): Buffer {
    const found = this.protocols.find((p) => p.name === protocol);
    if (found === undefined) throw new Error(`member ${this.memberId} does not support protocol ${protocol}`);
    return found.metadata;
  }

  /** Whether a rejoin carries exactly the protocols (names, order and bytes) it joined with. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** Its vote among the protocols every member supports: the first of its own it finds there. */
  vote(candidates: ReadonlySet<string>): string {
    const found = this.protocols.find((p) => candidates.has(p.name));
    if (found === undefined) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return found.name;
  }

  /** For DescribeGroups: metadata and assignment only once a protocol is chosen and stable. */
  describe(protocol: string | null): GroupMemberDescription {
    return {
      memberId: this.memberId, groupInstanceId: this.groupInstanceId, clientId: this.clientId, clientHost: this.clientHost,
      metadata: protocol === null ? EMPTY : this.metadata(protocol), assignment: protocol === null ? EMPTY : this.assignment,
    };
  }
}
