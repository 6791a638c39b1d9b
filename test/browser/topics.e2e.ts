import type { ClusterData } from '@weir/contracts';
import type { Producer } from 'kafkajs';
import { call } from '../rest/v3/v3-client.js';
import type { TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { waitFor } from '../support/cluster-rest.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';

/**
 * The console's topics page at a few hundred topics (created through the REST API): search
 * as you type, sort headers, paging and page size, every column (size, msgs/s in, consumer
 * groups and lag); and a topic's configs editor: a bad value refused before anything
 * changes, then a diff to confirm, and a reset to the default. Screenshots and axe-core
 * reports go to test-artifacts/console/topics-*.
 */
describeWithChromium('console topics', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let base: string;
  let producer: Producer;
  const BULK = 300;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);
  const table = () => page.getByRole('table', { name: 'Topics' }).filter({ visible: true });
  const names = () => table().locator('tbody tr td:first-child a').allTextContents();
  const count = () => browser.visibleText(page.getByTestId('topic-count'));
  /** The URL moves before the new page streams in: wait for the page's own count line. */
  const showing = (text: string) => page.getByTestId('topic-count').filter({ visible: true, hasText: text }).waitFor();

  beforeAll(async () => {
    session = await ConsoleSession.start();
    ({ gateway, browser, page } = session);
    base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
    const create = (topic_name: string, partitions_count: number) => api('POST', `${base}/topics`, { topic_name, partitions_count, replication_factor: 1 });
    for (let i = 0; i < BULK; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => create(`bulk-${String(i + j).padStart(3, '0')}`, ((i + j) % 4) + 1)));
    }
    expect((await create('payments', 6)).status).toBe(201);
    producer = kafkaClient(gateway.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'payments', messages: Array.from({ length: 40 }, (_, i) => ({ partition: 0, value: `p${i}` })) });
    // A group that read 10 of the 40: lag 30.
    await api('POST', `${base}/consumer-groups/ledger/offsets:reset`, { mode: 'offset', offset: 10, topic_name: 'payments', dry_run: false });
  }, 240_000);

  afterAll(async () => {
    await producer?.disconnect();
    await session?.close();
  }, 60_000);

  it('pages through the topics: first, next, last and the page size', async () => {
    await browser.go('/topics?q=bulk');
    expect(await count()).toBe(`${BULK} topics · page 1 of 6`);
    expect((await names()).slice(0, 2)).toEqual(['bulk-000', 'bulk-001']);
    await browser.audit('topics-list');

    await page.getByRole('navigation', { name: 'Topic pages' }).getByRole('link', { name: 'Next' }).click();
    await showing('page 2 of 6');
    expect((await names())[0]).toBe('bulk-050');
    await page.getByRole('navigation', { name: 'Topic pages' }).getByRole('link', { name: 'Last' }).click();
    await showing('page 6 of 6');
    expect((await names()).at(-1)).toBe('bulk-299');

    await page.getByRole('combobox', { name: 'Per page' }).selectOption('100');
    await showing(`${BULK} topics · page 1 of 3`);
    expect(await names()).toHaveLength(100);
  }, 60_000);

  it('searches as you type, into the URL', async () => {
    await browser.go('/topics');
    await page.getByRole('searchbox', { name: 'Search topics' }).fill('BULK-01');
    await page.waitForURL(/q=BULK-01/);
    await showing('10 topics');
    expect(await names()).toEqual(Array.from({ length: 10 }, (_, i) => `bulk-01${i}`));
    await browser.audit('topics-search');
  });

  it('sorts by a column header, both ways, marked with aria-sort', async () => {
    await browser.go('/topics?q=bulk-00');
    await table().getByRole('link', { name: 'Sort by partitions, ascending' }).click();
    await page.waitForURL(/sort=partitions/);
    await table().locator('th[aria-sort="ascending"]').filter({ hasText: 'Partitions' }).waitFor();
    const ascending = ['bulk-000', 'bulk-004', 'bulk-008', 'bulk-001', 'bulk-005', 'bulk-009', 'bulk-002', 'bulk-006', 'bulk-003', 'bulk-007'];
    expect(await names()).toEqual(ascending);
    await table().getByRole('link', { name: 'Sort by partitions, descending' }).click();
    await page.waitForURL(/sort=-partitions/);
    await table().locator('th[aria-sort="descending"]').filter({ hasText: 'Partitions' }).waitFor();
    // Descending is the ascending order reversed, ties included.
    expect(await names()).toEqual([...ascending].reverse());
    await browser.audit('topics-sorted');
  });

  it('shows size, rate, consumer groups and lag for a topic', async () => {
    await browser.go('/topics?q=payments');
    const row = table().getByRole('row', { name: /payments/ });
    const cells = await row.locator('td').allTextContents();
    // name, partitions, RF, under-replicated, size, msgs/s, groups, lag
    expect(cells[1]).toBe('6');
    expect(cells[3]).toBe('0');
    expect(cells[4]).not.toBe('0 B');
    expect(cells[6]).toContain('ledger');
    expect(cells[7]).toBe('30');
    expect(await row.getByRole('link', { name: 'ledger' }).getAttribute('href')).toBe('/consumer-groups/ledger');
    await browser.audit('topics-columns');
  });

  it('edits a config: a bad value refused, then a diff to confirm, then a reset to the default', async () => {
    await browser.go('/topics/payments?tab=configs');
    const row = page.getByTestId('config-cleanup.policy');
    await row.getByRole('button', { name: 'Edit cleanup.policy' }).click();
    await row.getByLabel('New value of cleanup.policy').fill('shred');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('alert').filter({ hasText: /shred/ }).waitFor();
    expect(await row.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    await browser.audit('topics-config-refused');

    await row.getByLabel('New value of cleanup.policy').fill('compact');
    await row.getByRole('button', { name: 'Save' }).click();
    const diff = row.getByTestId('config-diff');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('cleanup.policy: delete (default) → compact');
    await browser.audit('topics-config-diff');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.getByTestId('config-value').filter({ hasText: 'compact' }).waitFor();
    expect(await row.getByText('override', { exact: true }).count()).toBe(1);

    await row.getByRole('button', { name: 'Reset cleanup.policy to default' }).click();
    expect(await row.getByTestId('config-diff').textContent()).toContain('cleanup.policy: compact → the default');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.getByTestId('config-value').filter({ hasText: 'delete' }).waitFor();
    await row.getByText('default', { exact: true }).waitFor();
    await browser.audit('topics-config-reset');
  }, 60_000);
});

/** Three brokers in the gateway: a stopped one leaves its replicas out of sync, and the topics page marks them. */
describeWithChromium('console topics: under-replicated partitions', () => {
  let session: ConsoleSession;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(session.gateway.baseUrl, method, path, body);
  const inSync = async () => (await api<{ data: { isr: number[]; replica_ids: number[] }[] }>('GET', `${base}/topics/replicated/partitions`)).body.data
    .every((p) => p.isr.length === p.replica_ids.length);

  beforeAll(async () => {
    session = await ConsoleSession.start({ env: { WEIR_BROKERS: '3', WEIR_SESSION_TIMEOUT_MS: '6000', WEIR_REPLICA_LAG_TIME_MAX_MS: '2000' } });
    base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
    await api('POST', `${base}/topics`, { topic_name: 'replicated', partitions_count: 3, replication_factor: 3 });
    await waitFor('replicated in sync', inSync, 60_000, 100);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  }, 60_000);

  it('marks under-replicated partitions after a broker stops', async () => {
    const { browser, page } = session;
    await browser.go('/topics?q=replicated');
    const row = page.getByRole('table', { name: 'Topics' }).filter({ visible: true }).getByRole('row', { name: /replicated/ });
    expect((await row.locator('td').allTextContents())[3]).toBe('0');
    expect((await api('POST', `${base}/brokers/2/stop`)).status).toBeLessThan(300);
    await waitFor('the page to mark under-replicated partitions', async () => {
      await browser.reload();
      return (await row.getByTestId('under-replicated').count()) === 1;
    }, 30_000, 250);
    expect(await row.getByTestId('under-replicated').textContent()).toMatch(/^⚠ 3 under-replicated/);
    await browser.audit('topics-under-replicated');
  }, 60_000);
});
