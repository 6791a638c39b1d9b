import type { ClusterData } from '@weir/contracts';
import type { Consumer, Producer } from 'kafkajs';
import { call } from '../rest/v3/v3-client.js';
import type { TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';
import { auditInBothThemes } from './themes.js';
import { waitFor } from '../support/cluster-rest.js';

/**
 * The console's consumer groups in a real browser: the list (state, members, total lag,
 * sort by lag, search in the URL), a group's detail (members and assignments, the lag
 * table, the lag chart), and the offset-reset wizard: refused while a kafkajs consumer is
 * in the group, then preview (dry run), confirm, and the new offsets in the lag table.
 * Screenshots go to test-artifacts/console/groups-*.png.
 */
describeWithChromium('console consumer groups', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let base: string;
  let producer: Producer;
  let consumer: Consumer | undefined;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);
  const groupState = async (g: string) => (await api<{ state: string }>('GET', `${base}/consumer-groups/${g}`)).body.state;

  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

  beforeAll(async () => {
    session = await ConsoleSession.start({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0' } });
    ({ gateway, browser, page } = session);
    base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
    await api('POST', `${base}/topics`, { topic_name: 'orders', partitions_count: 2, replication_factor: 1 });
    producer = kafkaClient(gateway.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, value: `o${i}` })) });
    const commit = (g: string, offset: number) => api('POST', `${base}/consumer-groups/${g}/offsets:reset`, { mode: 'offset', offset, topic_name: 'orders', dry_run: false });
    await commit('billing', 2); // lag 8 + 8
    await commit('audit', 9); // lag 1 + 1
    consumer = kafkaClient(gateway.bootstrap).consumer({ groupId: 'shipping', sessionTimeout: 10_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    await until('shipping to be stable', async () => (await groupState('shipping')) === 'Stable' || (await groupState('shipping')) === 'STABLE');
  }, 180_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await session?.close();
  }, 60_000);

  it('lists groups with state, members and lag, sorted by lag and searched from the URL', async () => {
    await browser.go('/consumer-groups');
    const table = page.getByRole('table', { name: 'Consumer groups' }).filter({ visible: true });
    await table.getByRole('link', { name: 'billing' }).waitFor();
    expect(await table.getByRole('row', { name: /shipping/ }).textContent()).toMatch(/Stable.*1.*consumer/);
    await browser.shot('groups-list');
    await auditInBothThemes(browser, 'groups-list');

    await table.getByRole('link', { name: /Sort by total lag/ }).click();
    await page.waitForURL(/sort=lag_desc/);
    await browser.settled();
    const ids = await page.getByRole('table', { name: 'Consumer groups' }).filter({ visible: true }).locator('tbody tr td:first-child').allTextContents();
    expect(ids.slice(0, 2)).toEqual(['billing', 'audit']);

    await page.getByRole('searchbox', { name: 'Search groups' }).fill('aud');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=aud/);
    await browser.settled();
    expect(await page.getByRole('table', { name: 'Consumer groups' }).filter({ visible: true }).locator('tbody tr').count()).toBe(1);
  }, 60_000);

  it('shows an active group\'s members, assignments and lag, with the lag chart, and refuses a reset while it is active', async () => {
    await browser.go('/consumer-groups/shipping');
    expect(await browser.visibleText(page.getByTestId('group-state'))).toBe('Stable');
    const members = page.getByRole('table', { name: 'Members of shipping' }).filter({ visible: true });
    expect(await members.locator('tbody').textContent()).toContain('orders-0, orders-1');
    await page.getByTestId('lag-chart').locator('canvas').first().waitFor({ timeout: 20_000 });
    // The gateway samples every 5 s; the chart polls every 5 s and says the latest figures in words.
    await page.getByText(/^Now: total lag 0, largest partition lag 0 \(\d+ samples\)$/).waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Preview' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'inactive' });
    expect(await alert.textContent()).toBe("Assignments can only be reset if the group 'shipping' is inactive, but the current state is Stable. (40901)");
    await browser.shot('groups-detail-active-refused');
    await auditInBothThemes(browser, 'groups-detail-active-refused');
  }, 60_000);

  it('previews every reset mode in the wizard (dry runs: nothing is committed)', async () => {
    await browser.go('/consumer-groups/audit');
    // audit committed 9 on both partitions of orders (10 records each); billing committed 2.
    const cases: [mode: string, value: string | null, after: number][] = [
      ['earliest', null, 0], ['latest', null, 10], ['current', null, 9], ['offset', '4', 4], ['shift-by', '-3', 6],
      ['datetime', '2099-01-01T00:00:00', 10], ['duration', 'PT1H', 0], ['from-group', 'billing', 2],
    ];
    for (const [mode, value, after] of cases) {
      await page.getByLabel('Reset to').selectOption(mode);
      if (value !== null) await page.locator('#reset-value').fill(value);
      await page.getByRole('button', { name: 'Preview' }).click();
      // Cells as the page shows them (topic, partition, before, after, log range, note).
      await until(`the ${mode} preview`, async () => new RegExp(`^orders\\s+0\\s+9\\s+${after}\\s`).test(await page.getByTestId('plan-orders-0').innerText().catch(() => '')));
    }
    await browser.shot('groups-reset-modes');
    expect((await api<{ total_lag: number }>('GET', `${base}/consumer-groups/audit`)).body.total_lag).toBe(2);
  }, 90_000);

  it('resets an inactive group\'s offsets: preview, confirm, then the new offsets', async () => {
    await browser.go('/consumer-groups/billing');
    expect(await browser.visibleText(page.getByTestId('lag-orders-0'))).toMatch(/orders\s*0\s*2\s*0\s*10\s*8/);
    await page.getByLabel('Reset to').selectOption('shift-by');
    await page.getByLabel('Shift by (negative moves back)').fill('5');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('table', { name: 'Offset reset preview (dry run)' });
    await preview.waitFor();
    expect(await page.getByTestId('plan-orders-0').textContent()).toMatch(/orders\s*0\s*2\s*7/);
    await browser.shot('groups-reset-preview');
    await auditInBothThemes(browser, 'groups-reset-preview');
    // Nothing was committed by the preview.
    expect((await api<{ total_lag: number }>('GET', `${base}/consumer-groups/billing`)).body.total_lag).toBe(16);

    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('group', { name: 'Confirm the offset reset' }).waitFor();
    await browser.shot('groups-reset-confirm');
    await page.getByRole('button', { name: 'Confirm reset' }).click();
    await page.getByRole('status').filter({ hasText: 'Committed 2 offset(s) for billing.' }).waitFor();
    await page.getByRole('table', { name: 'Offsets committed' }).waitFor();
    await until('the lag table to show the new offsets', async () => /orders\s*0\s*7\s*0\s*10\s*3/.test((await page.getByTestId('lag-orders-0').filter({ visible: true }).textContent()) ?? ''));
    expect((await api<{ total_lag: number }>('GET', `${base}/consumer-groups/billing`)).body.total_lag).toBe(6);
    await browser.shot('groups-reset-done');
  }, 60_000);
});
