import type { ClusterData } from '@weir/contracts';
import type { Producer, Transaction } from 'kafkajs';
import { call } from '../rest/v3/v3-client.js';
import { waitFor } from '../support/cluster-rest.js';
import type { TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';
import { auditInBothThemes } from './themes.js';

/**
 * The console's transactions in a real browser: a kafkajs transactional producer opens a
 * transaction while the Transactions page is shown (it appears without a reload, from the
 * live feed), the state filter in the URL, the partitions disclosure, the topic's
 * partitions table with the LSO held below the HW, then Abort with its confirmation: the
 * outcome is announced, the row turns CompleteAbort and the LSO catches up with the HW.
 * Screenshots go to test-artifacts/console/transactions-*.png.
 */
describeWithChromium('console transactions', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let base: string;
  let plain: Producer;
  let transactional: Producer;
  let txn: Transaction;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gateway.baseUrl, method, path, body);
  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);
  const row = () => page.getByTestId('txn-console-txn').filter({ visible: true });
  const partitionRow = () => page.getByTestId('partition-0').filter({ visible: true });

  beforeAll(async () => {
    session = await ConsoleSession.start();
    ({ gateway, browser, page } = session);
    base = `/v3/clusters/${(await api<{ data: ClusterData[] }>('GET', '/v3/clusters')).body.data[0]!.cluster_id}`;
    await api('POST', `${base}/topics`, { topic_name: 'ledger', partitions_count: 1, replication_factor: 1 });
    const kafka = kafkaClient(gateway.bootstrap);
    plain = kafka.producer();
    transactional = kafka.producer({ transactionalId: 'console-txn', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 120_000 });
    await Promise.all([plain.connect(), transactional.connect()]);
    // Offsets 0 and 1 committed as plain records; the transaction's record will be offset 2.
    await plain.send({ topic: 'ledger', messages: [{ value: 'p0' }, { value: 'p1' }] });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([plain?.disconnect(), transactional?.disconnect()]);
    await session?.close();
  }, 60_000);

  it('shows a transaction opened while the page is on screen, live, with its partitions and the state filter', async () => {
    await browser.go('/transactions');
    await page.getByRole('link', { name: 'Transactions', exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
    txn = await transactional.transaction();
    await txn.send({ topic: 'ledger', messages: [{ value: 'in-txn' }] });

    // No reload: the live transactions channel refreshes the page within a sample or two.
    await row().waitFor({ timeout: 10_000 });
    expect(await browser.visibleText(row().getByTestId('txn-state'))).toBe('Ongoing');
    expect(await row().getByRole('cell').nth(4).innerText()).toMatch(/^1/);
    await row().getByTestId('txn-partitions').locator('summary').click();
    await row().getByRole('link', { name: 'ledger-0' }).waitFor();
    expect(await row().getByTestId('txn-age').textContent()).toMatch(/\d+ (ms|s)/);
    await browser.shot('transactions-01-ongoing');
    await auditInBothThemes(browser, 'transactions-01-ongoing');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await browser.shot('transactions-02-ongoing-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();

    await page.getByLabel('State').selectOption('CompleteCommit');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/state=CompleteCommit/);
    await browser.settled();
    await page.getByText('No transactional id is CompleteCommit.').filter({ visible: true }).waitFor();
    await page.getByLabel('State').selectOption('Ongoing');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/state=Ongoing/);
    await row().waitFor();
  }, 90_000);

  it('shows the topic\'s LSO held below the HW while the transaction is open', async () => {
    await browser.go('/topics/ledger?tab=partitions');
    expect(await browser.visibleText(partitionRow().getByTestId('hw'))).toBe('3');
    const lso = partitionRow().getByTestId('lso');
    expect(await lso.getAttribute('data-held')).toBe('true');
    expect(await lso.innerText()).toMatch(/^2/);
    expect(await page.getByRole('columnheader', { name: 'Last stable' }).filter({ visible: true }).count()).toBe(1);
    await browser.shot('transactions-03-topic-lso-held');

    // A group that commits outside transactions has its lag measured to the HW, and its page says so.
    await api('POST', `${base}/consumer-groups/ledger-reader/offsets:reset`, { mode: 'offset', offset: 0, topic_name: 'ledger', dry_run: false });
    await browser.go('/consumer-groups/ledger-reader');
    expect(await browser.visibleText(page.getByTestId('group-lag-isolation'))).toBe('to the HW (read_uncommitted)');
    expect(await page.getByRole('columnheader', { name: 'End (HW)' }).filter({ visible: true }).count()).toBe(1);
    await browser.shot('transactions-04-group-lag-isolation');
  }, 60_000);

  it('aborts the transaction after confirmation: the outcome is announced, the row turns CompleteAbort, the LSO catches up', async () => {
    await browser.go('/transactions');
    await row().getByRole('button', { name: 'Abort transaction console-txn' }).click();
    const confirm = row().getByRole('group', { name: 'Confirm: Abort transaction console-txn' });
    expect(await confirm.textContent()).toContain("Abort console-txn's open transaction and fence producer");
    await browser.shot('transactions-05-abort-confirm');
    await confirm.getByRole('button', { name: 'Confirm' }).click();

    const outcome = row().getByRole('status');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/^Aborting console-txn: (PrepareAbort|CompleteAbort), producer \d+ fenced \(epoch now \d+\)\.$/);
    await until('the row to show CompleteAbort', async () => (await row().getByTestId('txn-state').textContent().catch(() => null)) === 'CompleteAbort');
    expect(await row().getByRole('button', { name: /^Abort/ }).count()).toBe(0);
    expect(await row().getByTestId('txn-age').count()).toBe(0);
    await browser.shot('transactions-06-aborted');
    await auditInBothThemes(browser, 'transactions-06-aborted');

    // The producer was fenced: its commit is refused.
    await expect(txn.commit()).rejects.toThrow();

    await browser.go('/topics/ledger?tab=partitions');
    await until('the LSO to reach the HW', async () => {
      await browser.reload();
      return (await partitionRow().getByTestId('lso').getAttribute('data-held')) === 'false';
    });
    expect(await partitionRow().getByTestId('lso').innerText()).toBe(await partitionRow().getByTestId('hw').innerText());
    await browser.shot('transactions-07-topic-lso-caught-up');
  }, 90_000);
});
