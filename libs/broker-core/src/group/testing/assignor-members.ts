import type { AssignorMember, GroupAssignment, PartitionCounts } from '../assignor.js';
import { makeConsumerSubscription } from '../consumer-protocol.js';

/** Builders for assignor inputs and a readable form of their output, for the specs. */
export interface MemberFields {
  groupInstanceId?: string | null;
  /** Owned partitions by topic (subscription v1+ owned_partitions). */
  owned?: Readonly<Record<string, readonly number[]>>;
  generation?: number;
  userData?: Buffer | null;
}

export function member(memberId: string, topics: readonly string[], fields: MemberFields = {}): AssignorMember {
  const owned = Object.entries(fields.owned ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions] }));
  return {
    memberId,
    groupInstanceId: fields.groupInstanceId ?? null,
    subscription: makeConsumerSubscription({ topics: [...topics], ownedPartitions: owned, generationId: fields.generation ?? -1, userData: fields.userData ?? null }),
  };
}

export function counts(byTopic: Readonly<Record<string, number>>): PartitionCounts {
  return new Map(Object.entries(byTopic));
}

/** `{ member: { topic: [partitions] } }`, members and topics as the assignment lists them. */
export function readable(assignment: GroupAssignment): Record<string, Record<string, number[]>> {
  return Object.fromEntries([...assignment].map(([memberId, tps]) => [memberId, Object.fromEntries(tps.map((tp) => [tp.topic, tp.partitions]))]));
}

/** Each member's partitions as "topic/partition" strings. */
export function flat(assignment: GroupAssignment): Map<string, string[]> {
  return new Map([...assignment].map(([memberId, tps]) => [memberId, tps.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}/${p}`))]));
}
