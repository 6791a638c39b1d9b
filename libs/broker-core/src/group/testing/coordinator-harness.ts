import type { BrokerDefaults } from '../../broker/broker-options.js';
import { BrokerHarness } from '../../broker/testing/broker-harness.js';
import { encodeConsumerAssignment, encodeConsumerSubscription, makeConsumerSubscription } from '../consumer-protocol.js';
import type { GroupCoordinator } from '../group-coordinator.js';
import type { JoinGroupInput, JoinGroupResult, SyncGroupResult } from '../group-results.js';

/** Session and rebalance timeouts the specs' members use unless they say otherwise. */
export const SESSION_MS = 10_000;
export const REBALANCE_MS = 30_000;

/** Lets queued promise continuations (appends, answered joins) run. */
export const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise whose outcome can be looked at without awaiting it. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly done: boolean;
  readonly value: T | undefined;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const t = { promise, done: false, value: undefined as T | undefined };
  void promise.then((v) => {
    t.done = true;
    t.value = v;
  });
  return t;
}

/** A consumer Subscription for the protocol metadata of a JoinGroup. */
export function subscriptionOf(topics: readonly string[]): Buffer {
  return encodeConsumerSubscription(makeConsumerSubscription({ topics: [...topics] }), 0);
}

export function assignmentOf(topic: string, partitions: readonly number[]): Buffer {
  return encodeConsumerAssignment({ assignedPartitions: [{ topic, partitions: [...partitions] }], userData: null }, 0);
}

/**
 * A broker on a mock clock (BrokerHarness) with `__consumer_offsets` created (one broker:
 * it leads and has loaded every offsets partition) and a topic `t` of 3 partitions, plus
 * shorthands for the coordinator's calls as a consumer makes them.
 */
export class CoordinatorHarness {
  private constructor(readonly h: BrokerHarness) {}

  static async start(defaults: Partial<BrokerDefaults> = {}): Promise<CoordinatorHarness> {
    // The specs move the mock clock by minutes and hours (offset retention, cleaner
    // backoffs) in single steps; the broker's registry lease is not what they test, so
    // it lasts longer than any of their jumps.
    const h = await BrokerHarness.start({ groupInitialRebalanceDelayMs: 0, sessionTimeoutMs: 24 * 3_600_000, ...defaults });
    const harness = new CoordinatorHarness(h);
    const found = await harness.groups.findCoordinator('any', 0);
    if (found.errorCode !== 0) throw new Error(`FindCoordinator answered ${found.errorCode}`);
    await h.broker.createTopic({ name: 't', partitions: 3 });
    return harness;
  }

  get groups(): GroupCoordinator { return this.h.broker.groups; }
  get time(): BrokerHarness['time'] { return this.h.time; }

  join(groupId: string, fields: Partial<JoinGroupInput> = {}): Tracked<JoinGroupResult> {
    return track(this.groups.joinGroup({
      groupId, memberId: '', groupInstanceId: null, requireKnownMemberId: true, supportSkippingAssignment: false, clientId: 'spec', clientHost: '/127.0.0.1',
      rebalanceTimeoutMs: REBALANCE_MS, sessionTimeoutMs: SESSION_MS, protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscriptionOf(['t']) }], reason: null, ...fields,
    }));
  }

  /** A dynamic member's two JoinGroups (MEMBER_ID_REQUIRED, then with its id): the second is returned, maybe still parked. */
  async joinNew(groupId: string, fields: Partial<JoinGroupInput> = {}): Promise<{ memberId: string; joined: Tracked<JoinGroupResult> }> {
    const [first] = await this.answered(this.join(groupId, fields));
    if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
    return { memberId: first.memberId, joined: this.join(groupId, { ...fields, memberId: first.memberId }) };
  }

  sync(groupId: string, memberId: string, generationId: number, assignments: ReadonlyMap<string, Buffer> = new Map(), groupInstanceId: string | null = null): Tracked<SyncGroupResult> {
    return track(this.groups.syncGroup({ groupId, generationId, memberId, groupInstanceId, protocolType: null, protocolName: null, assignments }));
  }

  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null = null): number {
    return this.groups.heartbeat({ groupId, memberId, generationId, groupInstanceId });
  }

  /**
   * Waits for tracked calls to be answered, running timer tasks already due in between
   * (a join with no delay left completes on the timer's next pass, which a mock clock
   * only makes when moved); fails if they are still parked after that.
   */
  async answered<T extends readonly Tracked<unknown>[]>(...calls: T): Promise<{ [K in keyof T]: NonNullable<T[K]['value']> }> {
    await settle();
    for (let i = 0; i < 20 && !calls.every((t) => t.done); i++) {
      this.time.advance(0);
      await settle();
    }
    if (!calls.every((t) => t.done)) throw new Error('a call is still parked at the coordinator');
    return calls.map((t) => t.value) as { [K in keyof T]: NonNullable<T[K]['value']> };
  }

  /** Moves the mock clock on in steps, letting continuations run between them. */
  async advance(ms: number, stepMs = 1000): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) {
      this.time.advance(Math.min(stepMs, left));
      await settle();
    }
  }

  async close(): Promise<void> {
    await this.h.close();
  }
}
