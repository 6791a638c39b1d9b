import { type StoredPartitionState, TEST_SESSION_TIMEOUT_MS, waitFor } from '../support/cluster-processes.js';
import { processClusterFixture } from './cluster-fixture.js';

// Controller failover between broker processes (`npm run build` and PostgreSQL first):
// a SIGKILLed controller is replaced within its session timeout plus one second, and a
// controller that was only stopped (SIGSTOP, as in a long GC pause) and resumes after its
// successor was elected is fenced by the controller epoch: none of its pending decisions
// reaches the partition states. The states are read from the registry database, where a
// trigger records every write (ClusterDatabase.recordStateHistory), so a stale write that
// was later overwritten would still be seen.

const SESSION_MS = TEST_SESSION_TIMEOUT_MS;
const TOPIC = 'fenced';

describe('controller failover', () => {
  const fixture = processClusterFixture({ name: 'controller', brokers: 3 });

  beforeAll(async () => {
    await fixture.cluster.database.recordStateHistory();
  });

  it('elects a new controller within session timeout + 1 s of a SIGKILL', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      const old = await cluster.waitForController(10_000);
      const oldEpoch = await cluster.database.controllerEpoch();
      const killed = performance.now();
      await cluster.kill(old);
      const successor = await cluster.waitForController(SESSION_MS + 10_000, (id) => id !== old);
      const electedMs = performance.now() - killed;
      console.log(`controller failover: broker ${old} killed, broker ${successor} controller after ${Math.round(electedMs)} ms (session timeout ${SESSION_MS} ms)`);
      expect(electedMs).toBeLessThanOrEqual(SESSION_MS + 1000);
      expect(await cluster.database.controllerEpoch()).toBeGreaterThan(oldEpoch);

      await cluster.restoreAll();
      expect(await cluster.controller()).toBe(successor);
    }), 120_000);

  it('fences a stopped controller that resumes after its successor was elected', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster } = fixture;
      await cluster.restoreAll();
      await cluster.rest().createTopic(TOPIC, { partitions: 3, replicationFactor: 3 });
      await cluster.waitUntilFullyReplicated(TOPIC, 30_000);
      const stale = await cluster.waitForController(10_000);
      const staleEpoch = await cluster.database.controllerEpoch();

      cluster.pause(stale);
      let successor: number;
      let successorEpoch: number;
      let resumeZxid: bigint;
      try {
        successor = await cluster.waitForController(SESSION_MS + 10_000, (id) => id !== stale);
        successorEpoch = await cluster.database.controllerEpoch();
        expect(successorEpoch).toBeGreaterThan(staleEpoch);
        // Work the stopped controller will find pending when it wakes: a broker died meanwhile.
        const victim = cluster.brokers.map((b) => b.brokerId).find((id) => id !== stale && id !== successor)!;
        await cluster.kill(victim);
        await waitFor(
          `every partition of ${TOPIC} led by the new controller ${successor}`,
          async () => (await cluster.rest().partitions(TOPIC)).every((v) => v.leader === successor),
          SESSION_MS + 15_000,
        );
        resumeZxid = await cluster.database.zxid();
      } finally {
        cluster.resume(stale);
      }

      // Awake, the old controller finds its session gone and joins again as a plain broker.
      await waitFor(`broker ${stale} registered again`, async () => (await cluster.rest(successor).brokers()).includes(stale), 2 * SESSION_MS + 15_000);
      // Every running broker agrees the successor still leads, at the epoch it was elected with.
      expect(await cluster.waitForController(5000, (id) => id === successor)).toBe(successor);
      expect(await cluster.database.controllerEpoch()).toBe(successorEpoch);
      expect(cluster.broker(stale).unexpectedExits).toEqual([]);

      const history = await cluster.database.stateHistory();
      expect(history.length).toBeGreaterThan(0);
      expect(epochRegressions(history)).toEqual([]);
      const staleWrites = history.filter((s) => s.zxid > resumeZxid && s.controllerEpoch < successorEpoch);
      expect(staleWrites.map(describeState)).toEqual([]);
      for (const state of await cluster.database.partitionStates()) {
        if (state.topic === TOPIC) expect({ partition: state.partition, controllerEpoch: state.controllerEpoch >= successorEpoch }).toEqual({ partition: state.partition, controllerEpoch: true });
      }

      await cluster.restoreAll();
    }), 180_000);
});

/** Writes after which a partition's controller epoch or leader epoch went down. */
function epochRegressions(history: readonly StoredPartitionState[]): string[] {
  const last = new Map<string, StoredPartitionState>();
  const found: string[] = [];
  for (const state of history) {
    const key = `${state.topic}-${state.partition}`;
    const before = last.get(key);
    if (before !== undefined && (state.controllerEpoch < before.controllerEpoch || state.leaderEpoch < before.leaderEpoch)) {
      found.push(`${describeState(state)} after ${describeState(before)}`);
    }
    last.set(key, state);
  }
  return found;
}

function describeState(s: StoredPartitionState): string {
  return `${s.topic}-${s.partition} at zxid ${s.zxid}: controller_epoch ${s.controllerEpoch}, leader ${s.leader}, leader_epoch ${s.leaderEpoch}, isr [${s.isr.join(',')}]`;
}
