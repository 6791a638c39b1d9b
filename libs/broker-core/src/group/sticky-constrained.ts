import type { PartitionIndex } from './partition-index.js';
import type { Ownership } from './sticky-ownership.js';

/**
 * The sticky assignment when every member subscribes to the same topics (Kafka's
 * ConstrainedAssignmentBuilder): with P partitions and N members each member ends with
 * minQuota = floor(P / N) or maxQuota = ceil(P / N) partitions, exactly P % N of them with
 * maxQuota, and keeps as many of its own as that allows.
 *
 * 1. Members in id order keep what they own: all of it when that is under minQuota; maxQuota
 *    of it when they own that many and maxQuota places remain; else minQuota of it (the rest
 *    is revoked), staying a candidate for one more while maxQuota places remain.
 * 2. The partitions nobody kept, in (topic, partition) order, go round robin to the members
 *    under minQuota; once all have minQuota, one each to the candidates for maxQuota, in the
 *    order they became candidates.
 *
 * Members are the indices 0 .. memberCount - 1 of `ownership`, in member id order; returns each
 * one's partition ids.
 */
export function assignConstrained(memberCount: number, index: PartitionIndex, ownership: Ownership): number[][] {
  const minQuota = Math.floor(index.size / memberCount);
  const maxQuota = Math.ceil(index.size / memberCount);
  const maxQuotaPlaces = index.size % memberCount;
  let maxQuotaMembers = 0;
  const assigned: number[][] = [];
  const taken = new Uint8Array(index.size);
  const underMinQuota: number[] = [];
  let maxQuotaCandidates: number[] = [];

  for (let member = 0; member < memberCount; member++) {
    const owned = ownership.owned[member]!;
    let keep: number;
    if (owned.length < minQuota) {
      keep = owned.length;
      underMinQuota.push(member);
    } else if (owned.length >= maxQuota && maxQuotaMembers < maxQuotaPlaces) {
      keep = maxQuota;
      if (++maxQuotaMembers === maxQuotaPlaces) maxQuotaCandidates = [];
    } else {
      keep = minQuota;
      if (maxQuotaMembers < maxQuotaPlaces) maxQuotaCandidates.push(member);
    }
    const kept = owned.slice(0, keep);
    for (const id of kept) taken[id] = 1;
    assigned.push(kept);
  }

  let turn = 0;
  for (let id = 0; id < index.size; id++) {
    if (taken[id]) continue;
    if (turn >= underMinQuota.length) turn = 0;
    if (underMinQuota.length > 0) {
      const member = underMinQuota[turn]!;
      assigned[member]!.push(id);
      if (assigned[member]!.length === minQuota) {
        underMinQuota.splice(turn, 1);
        maxQuotaCandidates.push(member);
      } else {
        turn++;
      }
    } else {
      const member = maxQuotaCandidates.shift();
      if (member === undefined) throw new Error(`sticky assignment: no member left for partition ${index.topicName(id)}-${index.partitionOf(id)}`);
      assigned[member]!.push(id);
    }
  }
  return assigned;
}
