import type { ClusterData, ClusterHealthData, PartitionData } from '@weir/contracts';
import type { Page } from 'playwright-core';
import type { Producer } from 'kafkajs';
import { call } from '../rest/v3/v3-client.js';
import { waitFor } from '../support/cluster-rest.js';
import type { TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';

/** The staleness bound: what the cluster shows reaches an open page within 2 s, without reload. */
const STALENESS_MS = 2_000;

/** Milliseconds from `since` until `condition` (a Playwright wait, which polls the page; no fixed sleep) resolves. */
async function msUntil(since: number, condition: () => Promise<unknown>): Promise<number> {
  await condition();
  return Date.now() - since;
}

/** The first time (ms) the gateway's REST API shows `probe` true, polled every 25 ms: when the change happened. */
async function changedAt(what: string, probe: () => Promise<boolean>): Promise<number> {
  await waitFor(what, async () => (await probe()) || undefined, 30_000, 25);
  return Date.now();
}

async function noReload(page: Page): Promise<() => Promise<boolean>> {
  // A flag on the page's global object survives client-side refreshes and dies with a reload.
  await page.evaluate(() => Object.assign(globalThis, { __weirNoReload: true }));
  return async () => (await page.evaluate(() => (globalThis as { __weirNoReload?: boolean }).__weirNoReload === true));
}

/**
 * The live acceptance of W9 in a real browser: a kafkajs producer's throughput reaches the
 * overview, and a group's lag its page, within 2 s; with three brokers, a stopped broker's
 * shrunken ISRs reach the partitions table and the under-replicated count within 2 s. Each
 * delay is measured from the moment the gateway's REST API shows the change (or the
 * producer's ack), never from a fixed sleep; the pages are never reloaded (checked).
 */
describeWithChromium('console live updates (W9 acceptance)', () => {
  describe('one broker: throughput and lag', () => {
    let session: ConsoleSession;
    let gateway: TestGateway;
    let browser: ConsolePage;
    let page: Page;
    let base: string;
    let producer: Producer;
    const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);

    beforeAll(async () => {
      session = await ConsoleSession.start();
      ({ gateway, browser, page } = session);
      base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
      await api('POST', `${base}/topics`, { topic_name: 'live-orders', partitions_count: 1, replication_factor: 1 });
      producer = kafkaClient(gateway.bootstrap).producer();
      await producer.connect();
      await producer.send({ topic: 'live-orders', messages: [{ value: 'first' }] });
      await api('POST', `${base}/consumer-groups/live-billing/offsets:reset`, { mode: 'offset', offset: 0, topic_name: 'live-orders', dry_run: false });
    }, 180_000);

    afterAll(async () => {
      await producer?.disconnect();
      await session?.close();
    }, 60_000);

    it('shows the overview throughput go from 0 to more than 0 within 2 s of producing, with the topic page open', async () => {
      await browser.go('/');
      const topicPage = await page.context().browser()!.newPage();
      await topicPage.goto(`${new URL(page.url()).origin}/topics/live-orders`, { waitUntil: 'domcontentloaded' });
      const throughputIn = page.getByTestId('throughput-in');
      await throughputIn.filter({ hasText: /^0(\.0)?$/ }).waitFor({ timeout: 20_000 });
      const stillLoaded = await noReload(page);
      await browser.shot('live-01-overview-idle');

      await producer.send({ topic: 'live-orders', messages: [{ value: 'start' }] });
      const ackedAt = Date.now();
      let producing = true;
      const sending = (async () => {
        while (producing) await producer.send({ topic: 'live-orders', messages: Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })) });
      })();
      try {
        const elapsed = await msUntil(ackedAt, () => page.locator('[data-testid="throughput-in"]:not([data-value="0"])').waitFor({ timeout: 10_000 }));
        console.log(`overview throughput > 0 after ${elapsed} ms`);
        expect(elapsed).toBeLessThanOrEqual(STALENESS_MS);
        expect(Number(await throughputIn.getAttribute('data-value'))).toBeGreaterThan(0);
        expect(await stillLoaded()).toBe(true);
        await page.getByTestId('throughput-chart').locator('canvas').first().waitFor();
        await browser.audit('live-02-overview-throughput');
      } finally {
        producing = false;
        await sending;
        await topicPage.close();
      }
    });

    it("changes a group's lag on its page within 2 s of producing", async () => {
      await browser.go('/consumer-groups/live-billing');
      const lag = page.getByTestId('group-total-lag');
      const before = await browser.visibleText(lag);
      const stillLoaded = await noReload(page);
      await producer.send({ topic: 'live-orders', messages: Array.from({ length: 7 }, (_, i) => ({ value: `lag${i}` })) });
      const ackedAt = Date.now();
      const elapsed = await msUntil(ackedAt, () => page.getByTestId('group-total-lag').filter({ visible: true }).filter({ hasNotText: before ?? '' }).waitFor({ timeout: 10_000 }));
      console.log(`group lag changed after ${elapsed} ms`);
      expect(elapsed).toBeLessThanOrEqual(STALENESS_MS);
      expect(await stillLoaded()).toBe(true);
      await browser.audit('live-03-group-lag');
    });
  });

  describe('three brokers: a stopped broker', () => {
    let session: ConsoleSession;
    let gateway: TestGateway;
    let browser: ConsolePage;
    let page: Page;
    let base: string;
    const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);
    const partitions = async () => (await api<{ data: PartitionData[] }>('GET', `${base}/topics/replicated/partitions`)).body.data;
    const health = async () => (await api<ClusterHealthData>('GET', `${base}/health`)).body;

    beforeAll(async () => {
      session = await ConsoleSession.start({
        env: { WEIR_BROKERS: '3', WEIR_SESSION_TIMEOUT_MS: '6000', WEIR_REPLICA_LAG_TIME_MAX_MS: '2000', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false' },
      });
      ({ gateway, browser, page } = session);
      base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
      await api('POST', `${base}/topics`, { topic_name: 'replicated', partitions_count: 3, replication_factor: 3 });
      await waitFor('replicated in sync', async () => (await partitions()).every((p) => p.isr.length === 3) || undefined, 30_000);
    }, 240_000);

    afterAll(async () => {
      await session?.close();
    }, 60_000);

    it('shows the shrunken ISR in the partitions table and the under-replicated count on the overview within 2 s', async () => {
      await browser.go('/topics/replicated?tab=partitions');
      const overview = await page.context().browser()!.newPage();
      await overview.goto(`${new URL(page.url()).origin}/`, { waitUntil: 'domcontentloaded' });
      await overview.getByTestId('under-replicated-count').filter({ hasText: /^0$/ }).waitFor();
      const partitionsStill = await noReload(page);
      const overviewStill = await noReload(overview);

      expect((await api('POST', `${base}/brokers/3/stop`)).status).toBe(200);
      const shrunkAt = await changedAt('an ISR without broker 3', async () => (await partitions()).some((p) => !p.isr.includes(3)));
      const shrunk = (await partitions()).find((p) => !p.isr.includes(3))!;
      // A shrunken ISR is an under-replicated partition: both views change at that moment.
      expect((await health()).under_replicated_partitions).toBeGreaterThan(0);
      const [tableMs, overviewMs] = await Promise.all([
        msUntil(shrunkAt, () => page.getByTestId(`partition-${shrunk.partition_id}`).filter({ visible: true }).getByTestId('isr').filter({ hasNotText: '3' }).waitFor({ timeout: 10_000 })),
        msUntil(shrunkAt, () => overview.getByTestId('under-replicated-count').filter({ hasNotText: /^0$/ }).first().waitFor({ timeout: 10_000 })),
      ]);
      console.log(`shrunken ISR on the partitions table after ${tableMs} ms, under-replicated on the overview after ${overviewMs} ms`);
      expect(tableMs).toBeLessThanOrEqual(STALENESS_MS);
      expect(overviewMs).toBeLessThanOrEqual(STALENESS_MS);
      expect(await partitionsStill()).toBe(true);
      expect(await overviewStill()).toBe(true);
      await browser.audit('live-04-partitions-isr-shrunk');
      await overview.close();
    });
  });
});
