import { type PartitionView, waitFor } from '../support/cluster-processes.js';
import { processClusterFixture } from './cluster-fixture.js';

// unclean.leader.election.enable: a partition whose in-sync replicas are all dead while an
// out-of-sync replica lives stays offline when it is false (no acknowledged record may be
// lost), and elects the live replica once it is set to true (Kafka re-runs the election
// when the topic's setting changes). Three broker processes; `npm run build` and PostgreSQL.
//
// How the ISR comes to hold only the leader: both followers are SIGSTOPped (their
// sessions, longer than replica.lag.time.max.ms, keep them registered), records are
// written with acks=1 so they fall behind, the ISR shrinks once they have been behind for
// replica.lag.time.max.ms, then the leader is SIGKILLed and the followers resumed. The
// partition chosen is one led by the controller, so the paused followers never hold up
// an ISR change; killing the leader then also moves the controller.

const LAG_MAX_MS = 1500;
const SESSION_MS = 10_000;
const TOPIC = 'unclean';
/** With as many partitions as brokers, Kafka's assignment gives every broker one partition to lead. */
const PARTITIONS = 3;
/** How long "stays offline" is watched, once the dead leader's session is gone. */
const OFFLINE_WATCH_MS = 3000;

describe('unclean leader election', () => {
  const fixture = processClusterFixture({
    name: 'unclean',
    brokers: 3,
    env: { WEIR_SESSION_TIMEOUT_MS: String(SESSION_MS), WEIR_REPLICA_LAG_TIME_MAX_MS: String(LAG_MAX_MS) },
    producerRetry: { retries: 3, initialRetryTime: 100, maxRetryTime: 500 },
  });

  it('keeps a partition with no live in-sync replica offline while disabled, and elects the out-of-sync replica once enabled', () =>
    fixture.cluster.withLogsOnFailure(async () => {
      const { cluster, producer } = fixture;
      await cluster.rest().createTopic(TOPIC, {
        partitions: PARTITIONS,
        replicationFactor: 3,
        configs: { 'unclean.leader.election.enable': 'false', 'min.insync.replicas': '1' },
      });
      const views = await cluster.waitUntilFullyReplicated(TOPIC, 30_000);
      const controller = await cluster.waitForController(10_000);
      const target = views.find((v) => v.leader === controller);
      if (target === undefined) throw new Error(`no partition of ${TOPIC} is led by the controller ${controller}: ${JSON.stringify(views)}`);
      const { partition, leader } = target;
      const followers = target.replicas.filter((id) => id !== leader);
      const send = (acks: 1 | -1, tag: string) =>
        producer.send({ topic: TOPIC, acks, timeout: 5000, messages: Array.from({ length: 20 }, (_, i) => ({ partition, value: `${tag}-${i}` })) });
      await send(-1, 'in-sync');

      for (const id of followers) cluster.pause(id);
      try {
        // Records only the leader holds: what an unclean election gives up. They also put the
        // paused followers behind: Kafka counts a follower at the leader's LEO as caught up,
        // however long ago it fetched, so without new records the ISR would not shrink.
        await send(1, 'leader-only');
        await cluster.waitForPartition(TOPIC, partition, `ISR shrunk to the leader ${leader}`, (v) => v.isr.length === 1 && v.isr[0] === leader, 2 * LAG_MAX_MS + 5000);
        await cluster.kill(leader);
      } finally {
        for (const id of followers) cluster.resume(id);
      }

      // The dead leader's session expires; a new controller finds no live in-sync replica.
      await waitFor(`broker ${leader} deregistered`, async () => !(await cluster.rest().brokers()).includes(leader), SESSION_MS + 10_000);
      await cluster.waitForController(SESSION_MS + 10_000, (id) => id !== leader);
      // Offline: no live leader (REST drops the leader link, or says offline).
      const noLiveLeader = (v: PartitionView) => v.offline && !followers.includes(v.leader);
      const offline = await cluster.waitForPartition(TOPIC, partition, 'offline (no live leader)', noLiveLeader, 10_000);
      expect(offline.isr).not.toContain(followers[0]);
      expect(offline.isr).not.toContain(followers[1]);
      // And it stays so: watched for a while, every answer must say offline.
      const watchUntil = Date.now() + OFFLINE_WATCH_MS;
      while (Date.now() < watchUntil) {
        const view = await cluster.partition(TOPIC, partition);
        expect({ offline: noLiveLeader(view), view }).toEqual({ offline: true, view });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await cluster.rest().brokers()).toEqual(expect.arrayContaining(followers));

      await cluster.rest().setTopicConfig(TOPIC, 'unclean.leader.election.enable', 'true');
      const elected = await cluster.waitForPartition(TOPIC, partition, 'a leader elected from the live out-of-sync replicas', (v) => v.leader >= 0, 15_000);
      expect(followers).toContain(elected.leader);
      expect(elected.offline).toBe(false);
      expect(elected.isr).toEqual([elected.leader]);
      // And it serves: a produce to the partition is acknowledged (once clients learn the new leader).
      await waitFor('a produce to the new leader acknowledged', async () => {
        await send(-1, 'after-unclean');
        return true;
      }, 15_000);
    }), 180_000);
});
