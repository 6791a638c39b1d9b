import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { clusterState } from './cluster-state.js';
import { GatewayProcess } from './gateway-process.js';
import { type Acked, clusterIdOf, expectAckedReadable, produceBatch, produceStream } from './rest-io.js';

const TOTAL = 10_000;
const PARTITIONS = 3;
/**
 * After a SIGKILL the broker's registration lives until its registry session's lease
 * runs out (zookeeper.session.timeout.ms, 18 s), and the new run waits for that before
 * it serves: the restart deadline leaves room for it.
 */
const CRASH_RESTART_MS = 45_000;

async function createTopic(topicsUrl: string, body: unknown): Promise<void> {
  const res = await fetch(topicsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create topic answered ${res.status}: ${await res.text()}`);
}

async function alterConfigs(topicUrl: string, data: { name: string; value?: string; operation?: string }[]): Promise<void> {
  const res = await fetch(`${topicUrl}/configs:alter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
  if (res.status !== 204) throw new Error(`configs:alter answered ${res.status}: ${await res.text()}`);
}

function expectDense(read: Map<number, { offset: number }[]>, total: number): void {
  let count = 0;
  for (const records of read.values()) {
    expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    count += records.length;
  }
  expect(count).toBe(total);
}

describe('restart durability', () => {
  describe('a clean restart of the gateway on its data dir', () => {
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await startTestGateway();
    }, 60_000);

    afterAll(async () => {
      await gw.close();
    }, 30_000);

    const topicsUrl = async () => `${gw.baseUrl}/v3/clusters/${await clusterIdOf(gw.baseUrl)}/topics`;

    it(`keeps ${TOTAL} records produced through records:batch and streaming, the topics and their configs`, async () => {
      const topics = await topicsUrl();
      await createTopic(topics, { topic_name: 'orders', partitions_count: PARTITIONS, configs: [{ name: 'cleanup.policy', value: 'delete' }] });
      await createTopic(topics, { topic_name: 'audit.log', partitions_count: 1 });

      // Half in five batches of 1,000, half in one stream; keys spread them by murmur2.
      const acked: Acked[] = [];
      for (let first = 0; first < TOTAL / 2; first += 1000) acked.push(...(await produceBatch(`${topics}/orders`, first, 1000)));
      const streamed = await produceStream(`${topics}/orders`, { first: TOTAL / 2, count: TOTAL / 2 });
      expect(streamed.broken).toBe(false);
      acked.push(...streamed.acked);
      expect(acked).toHaveLength(TOTAL);

      await alterConfigs(`${topics}/orders`, [
        { name: 'retention.ms', value: '3600000' },
        { name: 'max.message.bytes', value: '2097152' },
      ]);
      await alterConfigs(`${topics}/audit.log`, [{ name: 'retention.bytes', value: '1073741824' }]);
      const before = await clusterState(gw.baseUrl);
      expect(before.topics['orders']!.configs).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '3600000', 'max.message.bytes': '2097152' });

      await gw.restart();

      expect(await clusterState(gw.baseUrl)).toEqual(before);
      expectDense(await expectAckedReadable(`${await topicsUrl()}/orders`, PARTITIONS, acked), TOTAL);
    }, 60_000);
  });

  describe('a gateway process killed with SIGKILL', () => {
    let dataDir: string;
    let gateway: GatewayProcess | undefined;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'weir-crash-'));
    });

    afterAll(async () => {
      await gateway?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }, 30_000);

    it('still has every record it acknowledged, mid-stream, and its topics and configs', async () => {
      gateway = await GatewayProcess.start(dataDir, 30_000);
      const topics = `${gateway.baseUrl}/v3/clusters/${await clusterIdOf(gateway.baseUrl)}/topics`;
      await createTopic(topics, { topic_name: 'payments', partitions_count: PARTITIONS, configs: [{ name: 'retention.ms', value: '86400000' }] });
      const acked = await produceBatch(`${topics}/payments`, 0, 1000);
      await alterConfigs(`${topics}/payments`, [{ name: 'segment.bytes', value: '1048576' }]);

      // Kill while a stream is still being written: the reports received so far are the acknowledgements.
      const killed = gateway;
      const streamed = await produceStream(`${topics}/payments`, {
        first: 1000,
        count: 50_000,
        onAck: (_, soFar) => {
          if (soFar === 3000) void killed.kill();
        },
      });
      await killed.kill();
      expect(streamed.broken).toBe(true);
      expect(streamed.acked.length).toBeGreaterThanOrEqual(3000);
      acked.push(...streamed.acked);

      gateway = await GatewayProcess.start(dataDir, CRASH_RESTART_MS);
      const state = await clusterState(gateway.baseUrl);
      expect(state.topics['payments']!.configs).toEqual({ 'retention.ms': '86400000', 'segment.bytes': '1048576' });
      const read = await expectAckedReadable(`${gateway.baseUrl}/v3/clusters/${state.clusterId}/topics/payments`, PARTITIONS, acked);
      // Records written but not yet acknowledged may survive too, but the log has no holes.
      let survived = 0;
      for (const records of read.values()) {
        expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
        survived += records.length;
      }
      expect(survived).toBeGreaterThanOrEqual(acked.length);
      console.log(`crash: ${acked.length} records acknowledged before SIGKILL, ${survived} in the log after restart`);
    }, 90_000);
  });
});
