import type { BrokerConfigDataList, ClusterData, PartitionData } from '@weir/contracts';
import { call } from '../rest/v3/v3-client.js';
import type { TestGateway } from '../support/gateway.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';
import { auditInBothThemes } from './themes.js';

/**
 * The console's cluster views in a real browser against a gateway hosting three brokers
 * (WEIR_BROKERS=3): the overview's health, the brokers page (status, controller, stop
 * and start with confirmation), the partitions view (leader, replicas, ISR, out-of-sync
 * and offline marks, live), preferred leader election and the reassignment form.
 * Screenshots go to test-artifacts/console/cluster-*.png.
 */
describeWithChromium('console cluster views with three brokers', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);
  const partitions = async (topic: string) => (await api<{ data: PartitionData[] }>('GET', `${base}/topics/${topic}/partitions`)).body.data;

  async function until(what: string, check: () => Promise<boolean>, withinMs = 20_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const allInSync = async (topic: string) => (await partitions(topic)).every((p) => p.isr.length === p.replica_ids.length && p.leader_id !== null);
  const brokerRow = (id: number) => page.getByTestId(`broker-${id}`).filter({ visible: true });
  const partitionRow = (id: number) => page.getByTestId(`partition-${id}`).filter({ visible: true });

  beforeAll(async () => {
    session = await ConsoleSession.start({
      env: { WEIR_BROKERS: '3', WEIR_SESSION_TIMEOUT_MS: '6000', WEIR_REPLICA_LAG_TIME_MAX_MS: '2000', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false' },
    });
    ({ gateway, browser, page } = session);
    base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
    await api('POST', `${base}/topics`, { topic_name: 'payments', partitions_count: 3, replication_factor: 3 });
    await api('POST', `${base}/topics`, { topic_name: 'scratch', partitions_count: 3, replication_factor: 1 });
    await until('payments in sync', () => allInSync('payments'));
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  }, 60_000);

  it('shows three brokers online, the controller and a healthy cluster on the overview', async () => {
    await browser.go('/');
    expect(await browser.visibleText(page.getByTestId('brokers-online'))).toBe('3 of 3');
    expect(await browser.visibleText(page.getByTestId('controller'))).toMatch(/^broker [123]$/);
    expect(await browser.visibleText(page.getByTestId('under-replicated-count'))).toBe('0');
    expect(await browser.visibleText(page.getByTestId('offline-count'))).toBe('0');
    await browser.shot('cluster-01-overview');
    await page.getByTestId('health-chart').locator('canvas').first().waitFor();
    await auditInBothThemes(browser, 'cluster-01-overview');
  });

  it('lists the brokers with status, controller badge, replicas and disk', async () => {
    await browser.go('/brokers');
    for (const id of [1, 2, 3]) {
      expect(await browser.visibleText(brokerRow(id).getByTestId('broker-status'))).toBe('online');
      expect(await brokerRow(id).getByTestId('out-of-sync').textContent()).toBe('0');
    }
    expect(await page.getByTestId('controller-badge').filter({ visible: true }).count()).toBe(1);
    await browser.shot('cluster-02-brokers');
    await auditInBothThemes(browser, 'cluster-02-brokers');
  });

  it("shows a broker's own configs on its page, searchable", async () => {
    const rest = await api<BrokerConfigDataList>('GET', `${base}/brokers/2/configs`);
    expect(rest.status).toBe(200);
    const byName = new Map(rest.body.data.map((c) => [c.name, c]));
    expect(byName.get('broker.id')).toMatchObject({ kind: 'KafkaBrokerConfig', broker_id: 2, value: '2', is_read_only: true, source: 'STATIC_BROKER_CONFIG' });
    expect(byName.get('advertised.listeners')?.value).toMatch(/^PLAINTEXT:\/\/.+:\d+$/);
    expect((await api('GET', `${base}/brokers/9/configs`)).status).toBe(404);

    await browser.go('/brokers');
    await brokerRow(2).getByRole('link', { name: /^Broker 2/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Broker 2' }).waitFor();
    await browser.settled();
    const configRow = (name: string) => page.getByTestId(`broker-config-${name}`).filter({ visible: true });
    expect(await configRow('broker.id').locator('td').nth(1).textContent()).toBe('2');
    await page.getByLabel('Search configs').fill('transaction');
    expect(await configRow('broker.id').count()).toBe(0);
    expect(await page.getByTestId('config-count').textContent()).toMatch(/^\d+ of \d+$/);
    await configRow('transaction.max.timeout.ms').waitFor();
    await auditInBothThemes(browser, 'cluster-02b-broker-configs');
  });

  it('stops a broker after confirmation and starts it again', async () => {
    await browser.go('/brokers');
    await brokerRow(3).getByRole('button', { name: 'Stop broker 3' }).click();
    await brokerRow(3).getByRole('group', { name: 'Confirm: Stop broker 3' }).waitFor();
    await browser.shot('cluster-03-stop-confirm');
    await brokerRow(3).getByRole('button', { name: 'Confirm' }).click();
    await brokerRow(3).getByTestId('broker-status').filter({ hasText: 'offline' }).waitFor();
    await brokerRow(3).getByRole('button', { name: 'Start broker 3' }).waitFor();
    await browser.shot('cluster-04-broker-stopped');

    await browser.go('/');
    expect(await browser.visibleText(page.getByTestId('brokers-online'))).toBe('2 of 3');
    await page.getByTestId('under-replicated-count').filter({ hasText: '3' }).first().waitFor();
    await browser.shot('cluster-05-overview-degraded');
    await auditInBothThemes(browser, 'cluster-05-overview-degraded');

    await browser.go('/brokers');
    await brokerRow(3).getByRole('button', { name: 'Start broker 3' }).click();
    await brokerRow(3).getByRole('button', { name: 'Confirm' }).click();
    await brokerRow(3).getByTestId('broker-status').filter({ hasText: 'online' }).waitFor();
    await until('payments in sync again', () => allInSync('payments'));
  }, 60_000);

  it('shows leader, replicas and ISR per partition, and marks replicas that fall out of sync, live', async () => {
    await browser.go('/topics/payments?tab=partitions');
    for (const p of await partitions('payments')) {
      expect(await browser.visibleText(partitionRow(p.partition_id).getByTestId('leader'))).toBe(String(p.leader_id));
      expect(await partitionRow(p.partition_id).getByTestId('isr').textContent()).toBe(p.isr.join(', '));
    }
    await browser.shot('cluster-06-partitions');
    await auditInBothThemes(browser, 'cluster-06-partitions');

    // Stopped through REST: the page learns it from the live feed, without a reload.
    await api('POST', `${base}/brokers/2/stop`);
    await partitionRow(0).locator('[data-testid="replica-2"][data-state="out-of-sync"]').waitFor({ timeout: 20_000 });
    await browser.shot('cluster-07-partitions-out-of-sync');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await browser.shot('cluster-08-partitions-out-of-sync-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await api('POST', `${base}/brokers/2/start`);
    await until('payments in sync again', () => allInSync('payments'));
  }, 60_000);

  it('flags a partition without a leader as offline', async () => {
    const lonely = (await partitions('scratch')).find((p) => p.leader_id === 3)!;
    await api('POST', `${base}/brokers/3/stop`);
    await browser.go('/topics/scratch?tab=partitions');
    await partitionRow(lonely.partition_id).getByTestId('partition-offline').waitFor();
    expect(await partitionRow(lonely.partition_id).getAttribute('data-offline')).toBe('true');
    await browser.shot('cluster-09-partition-offline');
    await api('POST', `${base}/brokers/3/start`);
    await until('scratch led again', async () => (await partitions('scratch')).every((p) => p.leader_id !== null));
  }, 60_000);

  it('elects preferred leaders of a topic after confirmation', async () => {
    const preferred = (await partitions('payments'))[0]!.replica_ids[0]!;
    await api('POST', `${base}/brokers/${preferred}/controlled-shutdown`);
    await api('POST', `${base}/brokers/${preferred}/start`);
    await until('payments in sync again', () => allInSync('payments'));
    await browser.go('/topics/payments?tab=partitions');
    await page.getByRole('button', { name: 'Elect preferred leaders of payments' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    const summary = page.getByRole('status').filter({ hasText: 'elected' });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/partitions? elected/);
    await until('preferred leaders', async () => (await partitions('payments')).every((p) => p.leader_id === p.replica_ids[0]));
    await browser.shot('cluster-10-leaders-elected');
  }, 60_000);

  it('reassigns a partition through the form, checking the input first', async () => {
    await browser.go('/topics/scratch?tab=partitions');
    const current = (await partitions('scratch'))[0]!.replica_ids[0]!;
    const target = current === 1 ? 2 : 1;
    const input = page.getByLabel('Partition 0', { exact: true });
    await input.fill(`${target}, ${target}`);
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByText('a broker may appear only once').waitFor();
    await browser.shot('cluster-11-reassign-refused');

    await input.fill(String(target));
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByRole('status').filter({ hasText: 'reassigning' }).waitFor();
    await until('partition 0 moved', async () => (await partitions('scratch'))[0]!.replica_ids.join() === String(target));
    await browser.reload();
    expect(await partitionRow(0).getByTestId('leader').textContent()).toBe(String(target));
    await browser.shot('cluster-12-reassigned');
  }, 60_000);
});
