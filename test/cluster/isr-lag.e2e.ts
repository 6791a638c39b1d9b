import { waitFor } from '../support/cluster-processes.js';
import { processClusterFixture } from './cluster-fixture.js';

// A follower that stops fetching leaves the ISR after replica.lag.time.max.ms, and comes
// back once it has caught up (Kafka's ISR shrink and expand), while its registry session
// (much longer here) keeps it a live broker throughout: the lag path, not broker failure.
// Three broker processes; `npm run build` and PostgreSQL first.

const LAG_MAX_MS = 1500;
const SESSION_MS = 12_000;
const TOPIC = 'isr-lag';

describe('ISR: a paused follower', () => {
  const fixture = processClusterFixture({
    name: 'isr',
    brokers: 3,
    env: { WEIR_SESSION_TIMEOUT_MS: String(SESSION_MS), WEIR_REPLICA_LAG_TIME_MAX_MS: String(LAG_MAX_MS) },
    producerRetry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });

  it('leaves the ISR beyond replica.lag.time.max.ms while still registered, and rejoins after SIGCONT', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster, producer } = fixture;
      await cluster.rest().createTopic(TOPIC, { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
      const [before] = await cluster.waitUntilFullyReplicated(TOPIC, 30_000);
      const controller = await cluster.waitForController(10_000);
      // A follower that is not the controller, so that ISR changes never wait on the paused process.
      const follower = before!.replicas.find((id) => id !== before!.leader && id !== controller)!;
      let written = 0;
      const send = async () => {
        await producer.send({ topic: TOPIC, acks: -1, timeout: 5000, messages: Array.from({ length: 50 }, (_, i) => ({ value: `r${written + i}` })) });
        written += 50;
      };
      await send();

      cluster.pause(follower);
      const paused = performance.now();
      // Records keep coming while the follower is stopped, so it falls behind the log end too.
      let writing = true;
      const writer = (async () => {
        while (writing) await send().catch(() => undefined);
      })();
      try {
        const shrunk = await cluster.waitForPartition(TOPIC, 0, `broker ${follower} out of the ISR`, (v) => !v.isr.includes(follower), 2 * LAG_MAX_MS + 5000);
        const shrinkMs = performance.now() - paused;
        expect(shrunk.isr).toHaveLength(2);
        expect(shrunk.leader).toBe(before!.leader);
        // Not before the follower could have been caught up for the last time (one fetch before the pause).
        expect(shrinkMs).toBeGreaterThanOrEqual(LAG_MAX_MS - 500);
        // Still a registered broker: it left the ISR for lagging, not for dying.
        expect(shrinkMs).toBeLessThan(SESSION_MS);
        expect(await cluster.rest().brokers()).toContain(follower);
        // acks=all now needs the two remaining in-sync replicas only.
        const ackedBefore = written;
        await waitFor('an acks=all produce acknowledged by the shrunk ISR', async () => written > ackedBefore + 50, 10_000);
      } finally {
        cluster.resume(follower);
        writing = false;
        await writer;
      }

      const resumed = performance.now();
      const expanded = await cluster.waitForPartition(TOPIC, 0, `broker ${follower} back in the ISR`, (v) => v.isr.includes(follower), 20_000);
      expect(expanded.isr).toHaveLength(3);
      console.log(`ISR: broker ${follower} rejoined ${Math.round(performance.now() - resumed)} ms after SIGCONT (${written} records written)`);
      // Every acknowledged acks=all record is below the leader's high watermark.
      expect((await cluster.rest(before!.leader).partition(TOPIC, 0)).highWatermark).toBeGreaterThanOrEqual(written);
    }), 120_000);
});
