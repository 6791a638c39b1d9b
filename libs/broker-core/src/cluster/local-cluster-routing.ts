import type { AppendEntry, AppendResult, FetchRequest, FetchResult, ProduceResult } from '../broker/broker-api.js';
import { EMPTY_BUFFER } from '../broker/error-codes.js';
import { KAFKA_ERRORS, KafkaError } from '../errors.js';

/**
 * Runs one multi-partition call on the brokers its items are routed to and puts the
 * answers back in call order. `route` names the broker for an item, or undefined to
 * answer it with `refuse` at once. When every item goes to one broker, that broker gets
 * the caller's array itself: no copy on the common path.
 */
export async function scatter<T, R, B>(
  items: readonly T[],
  route: (item: T) => B | undefined,
  run: (target: B, subset: readonly T[]) => Promise<R[]>,
  refuse: (item: T) => R,
): Promise<R[]> {
  const targets = new Array<B | undefined>(items.length);
  let single: B | undefined;
  let mixed = false;
  for (let i = 0; i < items.length; i++) {
    const target = route(items[i]!);
    targets[i] = target;
    if (i === 0) single = target;
    else if (target !== single) mixed = true;
  }
  if (!mixed && single !== undefined) return run(single, items);

  const out = new Array<R>(items.length);
  const groups = new Map<B, number[]>();
  for (let i = 0; i < items.length; i++) {
    const target = targets[i];
    if (target === undefined) {
      out[i] = refuse(items[i]!);
      continue;
    }
    let indices = groups.get(target);
    if (indices === undefined) groups.set(target, (indices = []));
    indices.push(i);
  }
  await Promise.all(
    [...groups].map(async ([target, indices]) => {
      const answers = await run(target, indices.map((i) => items[i]!));
      for (let k = 0; k < indices.length; k++) out[indices[k]!] = answers[k]!;
    }),
  );
  return out;
}

const NOT_LEADER = KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code;

export function notLeaderMessage(topic: string, partition: number): string {
  return `No broker of this process leads ${topic}-${partition}`;
}

export function notLeaderError(topic: string, partition: number): KafkaError {
  return new KafkaError('NOT_LEADER_OR_FOLLOWER', notLeaderMessage(topic, partition));
}

export function notLeaderAppend(entry: AppendEntry): AppendResult {
  return {
    topic: entry.topic, partition: entry.partition, errorCode: NOT_LEADER, errorMessage: notLeaderMessage(entry.topic, entry.partition),
    baseOffset: -1n, logAppendTime: -1n, logStartOffset: -1n,
  };
}

export function notLeaderFetch(request: FetchRequest): FetchResult {
  return {
    topic: request.topic, partition: request.partition, errorCode: NOT_LEADER,
    highWatermark: -1n, logStartOffset: -1n, lastStableOffset: -1n, records: EMPTY_BUFFER,
  };
}

export function notLeaderProduce(topic: string, partition: number): ProduceResult {
  return { topic, partition, offset: -1n, timestamp: -1n, errorCode: NOT_LEADER, errorMessage: notLeaderMessage(topic, partition) };
}
