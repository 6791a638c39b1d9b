import type { Registry } from '@weir/broker-core';
import { REGISTRY } from '../../apps/gateway/src/registry/registry.module.js';
import type { TestGateway } from '../support/gateway.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';

/**
 * The registry browser in a real browser: the tree expanded link by link down to the
 * broker's registration znode (its JSON data, Stat and the ephemeral owner: the broker's
 * own session), collapsing back, a linkable path, an unknown path, and a znode too large
 * to show at once. Screenshots and axe reports go to test-artifacts/console/registry-*.
 */
describeWithChromium('console registry browser', () => {
  let session: ConsoleSession;
  let gateway: TestGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  const tree = () => page.getByRole('navigation', { name: 'Registry tree' });

  beforeAll(async () => {
    session = await ConsoleSession.start();
    ({ gateway, browser, page } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  }, 60_000);

  it('expands the tree to a broker\'s registration and shows its data, Stat and ephemeral owner', async () => {
    const brokerId = gateway.cluster.brokerId;
    await browser.go('/');
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    await page.waitForURL(/\/registry$/);
    await browser.settled();
    await tree().getByRole('link', { name: 'brokers', exact: true }).waitFor();
    await browser.audit('registry-01-root');

    await tree().getByRole('link', { name: 'brokers', exact: true }).click();
    await page.waitForURL(/path=%2Fbrokers$/);
    await browser.settled();
    expect(await tree().getByRole('link', { name: 'brokers', exact: true }).getAttribute('aria-expanded')).toBe('true');
    await tree().getByRole('link', { name: 'ids', exact: true }).click();
    await page.waitForURL(/path=%2Fbrokers%2Fids$/);
    await browser.settled();
    await tree().getByRole('link', { name: String(brokerId), exact: true }).click();
    await page.waitForURL(new RegExp(`path=%2Fbrokers%2Fids%2F${brokerId}$`));
    await browser.settled();

    const owner = page.getByTestId('ephemeral-owner');
    expect(await owner.innerText()).toMatch(new RegExp(`ephemeral\\s+Owned by session \\d+ of broker ${brokerId}`));
    expect(await owner.getByRole('link', { name: `broker ${brokerId}` }).getAttribute('href')).toBe(`/brokers/${brokerId}`);
    const data = (await browser.visibleText(page.getByTestId('znode-data'))) ?? '';
    expect(JSON.parse(data)).toMatchObject({ port: gateway.kafkaPort });
    expect(data).toContain('\n  "'); // re-indented
    const stat = page.getByRole('table', { name: `Stat of /brokers/ids/${brokerId}` });
    expect(await stat.getByRole('row', { name: /^ctime/ }).innerText()).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(await stat.getByRole('row', { name: /^ephemeralOwner|^ephemeral_owner/ }).innerText()).toMatch(/[1-9]\d*$/);
    await browser.audit('registry-02-broker');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await browser.audit('registry-03-broker-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();

    // The path lives in the URL: a reload shows the same znode; "collapse" selects the parent.
    await browser.reload();
    expect(await page.getByRole('heading', { level: 2, name: `/brokers/ids/${brokerId}` }).count()).toBe(1);
    await tree().getByRole('link', { name: 'Collapse /brokers/ids' }).click();
    await page.waitForURL(/path=%2Fbrokers$/);
    await browser.settled();
    expect(await page.getByTestId('ephemeral-owner').innerText()).toContain('persistent');
  }, 120_000);

  it('says when a linked path does not exist', async () => {
    await browser.go('/registry?path=/no/such/znode');
    await page.getByRole('alert').filter({ hasText: 'No such znode' }).waitFor();
    await browser.audit('registry-04-unknown-path');
  }, 60_000);

  it('cuts data over 64 KiB until "Show all", and shows it as text, never as markup', async () => {
    const registry = gateway.get<Registry>(REGISTRY);
    const big = `<script>globalThis.__injected = true</script>${'x'.repeat(100 * 1024)}`;
    await registry.create('/weir-large', new TextEncoder().encode(big));
    await browser.go('/registry?path=/weir-large');
    expect((await browser.visibleText(page.getByTestId('znode-data')))?.length).toBe(64 * 1024);
    await browser.audit('registry-05-large-truncated');
    await page.getByRole('link', { name: 'Show all' }).click();
    await page.waitForURL(/full=1/);
    await browser.settled();
    expect((await browser.visibleText(page.getByTestId('znode-data')))?.length).toBe(big.length);
    expect(await page.evaluate(() => (globalThis as { __injected?: boolean }).__injected)).toBeUndefined();
  }, 60_000);
});
