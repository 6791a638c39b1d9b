import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';
import { auditInBothThemes } from './themes.js';

/**
 * The console in a real browser against a real gateway: create a topic, produce a
 * message, find it in the message browser, change a config and see it survive a reload
 * and a gateway restart; the settings page and keyboard navigation. Screenshots of each
 * step, and axe-core audits in both themes, go to test-artifacts/console/.
 */
const TOPIC = 'e2e-orders';

describeWithChromium('console in a browser', () => {
  let session: ConsoleSession;
  let page: ConsolePage['page'];
  const shot = (name: string) => session.browser.shot(name);
  const visibleText: ConsolePage['visibleText'] = (locator) => session.browser.visibleText(locator);
  const go = (path: string) => session.browser.go(path);
  const reload = () => session.browser.reload();
  const audit = (name: string) => auditInBothThemes(session.browser, name);

  beforeAll(async () => {
    session = await ConsoleSession.start();
    page = session.page;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  }, 30_000);

  it('shows the cluster on the overview', async () => {
    await go('/');
    await page.getByTestId('cluster-id').waitFor();
    expect(await visibleText(page.getByTestId('brokers-online'))).toBe('1 of 1');
    await shot('01-overview');
    await audit('01-overview');
  });

  it('creates a topic, rejecting a bad name first with the gateway schema', async () => {
    await go('/topics/new');
    await page.getByLabel('Name').fill('bad name');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.getByText('may contain only ASCII letters').waitFor();

    await page.getByLabel('Name').fill(TOPIC);
    await page.getByLabel('Partitions').fill('2');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.waitForURL(`**/topics/${TOPIC}`);
    await page.getByTestId('partition-1').waitFor();
    await shot('02-topic-created');

    await page.getByRole('button', { name: 'Create topic' }).waitFor({ state: 'detached' });
    await go('/topics/new');
    await page.getByLabel('Name').fill(TOPIC);
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.getByRole('alert').filter({ hasText: '40002' }).waitFor();
    await shot('03-duplicate-topic-refused');
  });

  it('lists the topic with search in the URL', async () => {
    await go('/topics?q=e2e');
    await page.getByRole('link', { name: TOPIC }).waitFor();
    await audit('02-topics-list');
    await go('/topics?q=no-such-topic');
    await page.getByText('No topic name contains').waitFor();
  });

  it('produces a message and finds it in the message browser', async () => {
    await go(`/topics/${TOPIC}?tab=produce`);
    await page.getByLabel('Partition').selectOption('1');
    await page.getByLabel('Key', { exact: true }).fill('order-42');
    await page.getByLabel('Value type').selectOption('JSON');
    await page.getByLabel('Value', { exact: true }).fill('{"item":"teapot","qty":2}');
    await page.getByLabel('Headers').fill('source=e2e');
    await page.getByRole('button', { name: 'Produce' }).click();
    const result = page.getByTestId('produce-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('partition 1 at offset 0');
    await shot('04-produced');

    await page.getByRole('link', { name: 'See it in the message browser' }).click();
    const record = page.getByTestId('record').first();
    await record.waitFor();
    expect(await record.getAttribute('data-offset')).toBe('0');
    expect(await visibleText(page.getByLabel('Value of offset 0'))).toContain('"item": "teapot"');
    expect(await page.getByLabel('Key of offset 0').textContent()).toBe('order-42');
    expect(await record.getByLabel('Headers').textContent()).toContain('source=e2e');
    await record.getByLabel('Show as').selectOption('hex');
    expect(await page.getByLabel('Key of offset 0').textContent()).toContain('6f 72 64 65 72 2d 34 32');
    await shot('05-message-browser');
    await audit('05-message-browser');
  });

  it('edits a config with confirmation and keeps it across a reload and a gateway restart', async () => {
    await go(`/topics/${TOPIC}?tab=configs`);
    const row = page.getByTestId('config-retention.ms');
    await row.getByRole('button', { name: 'Edit retention.ms' }).click();
    await row.getByLabel('New value of retention.ms').fill('3600000');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.getByText('override').waitFor();
    expect(await row.getByTestId('config-value').textContent()).toBe('3600000');

    await reload();
    expect(await visibleText(page.getByTestId('config-retention.ms').getByTestId('config-value'))).toBe('3600000');
    await shot('06-config-edited');

    await session.restartGateway();
    await go(`/topics/${TOPIC}?tab=configs`);
    const after = page.getByTestId('config-retention.ms');
    expect(await visibleText(after.getByTestId('config-value'))).toBe('3600000');
    expect(await after.getByText('override').count()).toBe(1);
    await shot('07-config-after-restart');
  }, 60_000);

  it('remembers the dark theme across a reload', async () => {
    await go('/');
    const dark = async () => ((await page.locator('html').getAttribute('class')) ?? '').split(/\s+/).includes('dark');
    const before = await dark();
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await dark()).toBe(!before);
    await reload();
    expect(await dark()).toBe(!before);
  });

  it('keeps preferences from the settings page, applied without a reload', async () => {
    await go('/settings');
    const dark = async () => ((await page.locator('html').getAttribute('class')) ?? '').split(/\s+/).includes('dark');
    await page.getByTestId('settings-cluster-id').filter({ hasNotText: 'unreachable', visible: true }).first().waitFor();
    await audit('08-settings');
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await dark()).toBe(true);
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await dark()).toBe(false);
    await page.getByRole('radio', { name: 'Base64' }).check();
    await page.getByRole('checkbox', { name: 'Live updates' }).uncheck();
    await go('/brokers');
    expect(await visibleText(page.getByTestId('live-status'))).toBe('Live updates off');
    await go('/settings');
    expect(await page.getByRole('radio', { name: 'Base64' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'Live updates' }).check();
    await page.getByRole('radio', { name: 'Follow the system' }).check();
    await go('/brokers');
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).filter({ hasNotText: 'off' }).waitFor();
  });

  it('reaches every page from the keyboard: skip link first, then the nav with a visible focus, Enter follows a link', async () => {
    await go('/');
    await page.keyboard.press('Tab');
    const focusedText = () => page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');
    expect(await focusedText()).toBe('Skip to content');
    let label: string | null = null;
    for (let i = 0; i < 12 && label !== 'Settings'; i++) {
      await page.keyboard.press('Tab');
      label = await focusedText();
    }
    expect(label).toBe('Settings');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await shot('09-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings$/);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  });
});
