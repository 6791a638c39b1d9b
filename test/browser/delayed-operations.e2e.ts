import type { DelayedOperationsData } from '@weir/contracts';
import type { Consumer } from 'kafkajs';
import { call } from '../rest/v3/v3-client.js';
import { waitFor } from '../support/cluster-rest.js';
import type { TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';

/**
 * The delayed-operations page in a real browser: the purgatories and timing-wheel levels,
 * then a kafkajs consumer long-polling an empty topic, whose waiting fetch shows on the
 * page within 2 s of its arrival in the broker's purgatory, without a reload (the live
 * channel), and the expirations chart filling. Screenshots and axe reports go to
 * test-artifacts/console/delayed-operations-*.
 */
describeWithChromium('console delayed operations', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let consumer: Consumer | undefined;
  let path: string;

  beforeAll(async () => {
    session = await ConsoleSession.start();
    ({ gateway, browser, page } = session);
    path = `/v3/clusters/${gateway.cluster.clusterId}/delayed-operations`;
    await call(gateway.baseUrl, 'POST', `/v3/clusters/${gateway.cluster.clusterId}/topics`, { topic_name: 'idle', partitions_count: 1 });
  }, 180_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await session?.close();
  }, 60_000);

  it('shows a consumer\'s long-poll fetch waiting within 2 s, live, and the expirations chart', async () => {
    const brokerId = gateway.cluster.brokerId;
    await browser.go('/delayed-operations');
    await page.getByRole('table', { name: /^Purgatories/ }).waitFor();
    expect(await page.getByTestId(`purgatory-${brokerId}-Fetch`).count()).toBe(1);
    await page.getByTestId('wheel-level-0').waitFor();
    await browser.audit('delayed-operations-01-idle');
    await page.evaluate(() => void ((globalThis as { __sameDocument?: boolean }).__sameDocument = true));

    consumer = kafkaClient(gateway.bootstrap).consumer({ groupId: 'console-long-poll', maxWaitTimeInMs: 10_000, sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['idle'], fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });

    const fetchWaiting = async () =>
      (await call<DelayedOperationsData>(gateway.baseUrl, 'GET', path)).body.purgatories.some((p) => p.name === 'Fetch' && p.delayed > 0);
    await waitFor('the consumer\'s fetch to wait in the purgatory', fetchWaiting, 30_000, 20);
    const waitingSince = Date.now();
    await page.getByTestId(`delayed-${brokerId}-Fetch`).filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 2_000 });
    const shownAfterMs = Date.now() - waitingSince;
    console.log(`delayed operations page: the waiting fetch showed ${shownAfterMs} ms after the broker held it`);
    expect(Number(await page.getByTestId(`delayed-${brokerId}-Heartbeat`).innerText())).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    await page.getByText('Up to the last ten minutes, one sample a second.').waitFor({ timeout: 10_000 });
    await page.getByTestId('expirations-chart').locator('canvas').waitFor();
    await browser.audit('delayed-operations-02-waiting-fetch');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await browser.audit('delayed-operations-03-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();
  }, 120_000);
});
