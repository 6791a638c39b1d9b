import type { PartitionIndex } from './partition-index.js';
import type { Ownership } from './sticky-ownership.js';

/**
 * The sticky assignment when subscriptions differ (Kafka's GeneralAssignmentBuilder, without
 * racks):
 *
 * 1. Members keep what they own of topics they still subscribe to; owning a partition of a
 *    topic one no longer subscribes to makes a revocation necessary.
 * 2. The partitions nobody owns, topics with the fewest subscribers first (then by name,
 *    then partition), go one at a time to the subscriber holding fewest partitions (ties to
 *    the lower member id).
 * 3. Balance: while a partition's holder has at least two more partitions than some other
 *    subscriber of its topic, move it, to its previous owner if that one subscribes and
 *    qualifies, else to the least loaded subscriber. When step 1 revoked nothing, the
 *    partitions of step 2 are tried first, so that what members owned moves only when moving
 *    new partitions is not enough.
 *
 * Every move lowers the sum of the squared counts, so balancing ends, and it ends balanced in
 * Kafka's sense: no holder has more than one partition more than any subscriber of the topic
 * of a partition it holds. (Kafka also reverts a balancing pass that does not lower its
 * balance score; since every move lowers it, that never happens, and Weir does not check.
 * Kafka also replaces a move from A to B by sending back a partition of the same topic that
 * an earlier move took from B to A. Moves only go from a member at least two partitions above
 * another to it, so such a round trip needs the pair's loads to cross by four within one
 * balancing; Weir leaves that guard out.)
 * Members are the indices of `topicSets` in member id order; returns each one's partition ids.
 */
export function assignGeneral(topicSets: readonly ReadonlySet<string>[], index: PartitionIndex, ownership: Ownership): number[][] {
  const state = new GeneralAssignment(topicSets, index);
  const revocationRequired = state.keepOwned(ownership.owned);
  const order = state.partitionOrder();
  const unowned = order.filter((id) => !state.isAssigned(id));
  for (const id of unowned) state.assign(id, state.leastLoaded(id));
  const movable = (id: number): boolean => state.subscriberCount(id) >= 2;
  if (!revocationRequired) state.balance(unowned.filter(movable), ownership.previousOwner);
  state.balance(order.filter(movable), ownership.previousOwner);
  return state.assigned;
}

class GeneralAssignment {
  readonly assigned: number[][];
  private readonly holder: Int32Array;
  /** Per topic, the subscribing member indices, ascending. */
  private readonly subscribers: number[][];

  constructor(
    private readonly topicSets: readonly ReadonlySet<string>[],
    private readonly index: PartitionIndex,
  ) {
    this.assigned = topicSets.map(() => []);
    this.holder = new Int32Array(index.size).fill(-1);
    this.subscribers = index.topics.map((topic) => topicSets.flatMap((topics, member) => (topics.has(topic) ? [member] : [])));
  }

  /** Returns whether some owned partition had to be dropped (a revocation). */
  keepOwned(owned: readonly (readonly number[])[]): boolean {
    let revoked = false;
    owned.forEach((ids, member) => {
      for (const id of ids) {
        if (this.topicSets[member]!.has(this.index.topicName(id))) this.assign(id, member);
        else revoked = true;
      }
    });
    return revoked;
  }

  partitionOrder(): number[] {
    const byFewestSubscribers = this.index.topics.map((_, t) => t).sort((a, b) => this.subscribers[a]!.length - this.subscribers[b]!.length || a - b);
    return byFewestSubscribers.flatMap((t) => Array.from({ length: this.index.count(t) }, (_, p) => this.index.first(t) + p));
  }

  isAssigned(id: number): boolean {
    return this.holder[id]! >= 0;
  }

  subscriberCount(id: number): number {
    return this.subscribers[this.index.topicOf(id)]!.length;
  }

  assign(id: number, member: number): void {
    this.assigned[member]!.push(id);
    this.holder[id] = member;
  }

  leastLoaded(id: number): number {
    let best = -1;
    for (const member of this.subscribers[this.index.topicOf(id)]!) {
      if (best < 0 || this.load(member) < this.load(best)) best = member;
    }
    return best;
  }

  balance(partitions: readonly number[], previousOwner: ReadonlyMap<number, number>): void {
    let balanced = this.isBalanced();
    let moved: boolean;
    do {
      moved = false;
      for (const id of partitions) {
        if (balanced) return;
        const from = this.holder[id]!;
        const previous = previousOwner.get(id);
        const backToPrevious = previous !== undefined && this.topicSets[previous]!.has(this.index.topicName(id)) && this.load(from) > this.load(previous) + 1;
        const to = backToPrevious ? previous : this.leastLoaded(id);
        if (this.load(from) > this.load(to) + 1) {
          this.move(id, from, to);
          moved = true;
          balanced = this.isBalanced();
        }
      }
    } while (moved);
  }

  private load(member: number): number {
    return this.assigned[member]!.length;
  }

  private isBalanced(): boolean {
    for (let t = 0; t < this.index.topics.length; t++) {
      const minLoad = Math.min(...this.subscribers[t]!.map((member) => this.load(member)));
      const first = this.index.first(t);
      for (let id = first; id < first + this.index.count(t); id++) if (this.load(this.holder[id]!) > minLoad + 1) return false;
    }
    return true;
  }

  private move(id: number, from: number, to: number): void {
    const list = this.assigned[from]!;
    list.splice(list.indexOf(id), 1);
    this.assign(id, to);
  }
}
