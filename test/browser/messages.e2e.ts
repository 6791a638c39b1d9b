import { readFileSync } from 'node:fs';
import type { BrokerApi } from '@weir/broker-core';
import type { ReadRecordsResponse } from '@weir/contracts';
import type { Producer } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';

/**
 * The message browser in a real browser: seek by newest, offset and timestamp; filter by
 * key substring; formats (hex dump, base64); a `<script>` value and a 1 MB value render
 * as inert text without stalling the page; the live tail shows a record produced after
 * opening within 2 s; CSV export downloads the rows shown; produce with headers to a
 * chosen partition. Each state is audited (screenshot + axe-core) as messages-*.
 */
const TOPIC = 'browse';
const T0 = 1_700_000_000_000;
const SCRIPT = '<script>alert(1)</script>';

describeWithChromium('console message browser', () => {
  let session: ConsoleSession;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let broker: BrokerApi;
  let producer: Producer;
  const dialogs: string[] = [];

  beforeAll(async () => {
    session = await ConsoleSession.start();
    ({ browser, page } = session);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    broker = session.gateway.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: TOPIC, partitions: 2 });
    // Partition 0: offsets 0-29 with keys k-0..k-29 and JSON values, then the script value at 30.
    await broker.produce(TOPIC, [
      ...Array.from({ length: 30 }, (_, i) => ({
        partition: 0,
        key: Buffer.from(`k-${i}`),
        value: Buffer.from(JSON.stringify({ n: i })),
        headers: [{ key: 'trace', value: Buffer.from(`t${i}`) }],
        timestamp: T0 + i * 1000,
      })),
      { partition: 0, key: Buffer.from('xss'), value: Buffer.from(SCRIPT), timestamp: T0 + 30_000 },
    ]);
    // Partition 1: one 1 MB text value (just under the default max.message.bytes with its batch).
    const produced = await broker.produce(TOPIC, [{ partition: 1, key: Buffer.from('big'), value: Buffer.from('0123456789'.repeat(100_000)) }]);
    expect(produced.map((r) => r.errorCode)).toEqual([0]);
    producer = kafkaClient(session.gateway.bootstrap).producer();
    await producer.connect();
  }, 300_000);

  afterAll(async () => {
    await producer?.disconnect();
    await session?.close();
  }, 60_000);

  const list = () => page.getByRole('list', { name: /^Messages of partition/ }).filter({ visible: true });
  const offsets = async () => {
    await browser.settled();
    await list().waitFor();
    return list()
      .getByTestId('record')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-offset'))));
  };
  const seek = async (fill: () => Promise<void>, url: RegExp) => {
    await fill();
    await page.getByRole('button', { name: 'Show messages' }).click();
    await page.waitForURL(url);
    await browser.settled();
  };

  it('opens at the newest record, and seeks by offset and by timestamp', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages`);
    expect((await offsets()).slice(0, 3)).toEqual([30, 29, 28]);
    await browser.audit('messages-newest');

    await seek(async () => {
      await page.getByLabel('Start at').selectOption('offset');
      await page.getByLabel('Offset', { exact: true }).fill('5');
      await page.getByLabel('Order').selectOption('oldest_first');
    }, /offset=5/);
    expect((await offsets()).slice(0, 3)).toEqual([5, 6, 7]);

    await seek(async () => {
      await page.getByLabel('Start at').selectOption('timestamp');
      await page.getByLabel('Timestamp', { exact: true }).fill(new Date(T0 + 10_000).toISOString());
    }, /seek=timestamp/);
    expect((await offsets()).slice(0, 3)).toEqual([10, 11, 12]);
    await browser.audit('messages-timestamp');
  });

  it('filters by key substring on the gateway and says how much it scanned', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages`);
    await seek(() => page.getByLabel('Key contains').fill('k-2'), /key_contains=k-2/);
    expect(await offsets()).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 2]);
    expect(await browser.visibleText(page.getByTestId('scan-summary'))).toContain('matched 11 records of 31 records scanned');
    await browser.audit('messages-filtered');
  });

  it('shows a page as a hex dump or base64, and one record as JSON', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages&seek=offset&offset=3&order=oldest_first&view=hex`);
    expect(await offsets()).toContain(3);
    const key = page.getByLabel('Key of offset 3', { exact: true }).filter({ visible: true });
    expect(await key.textContent()).toBe(`00000000  6b 2d 33${' '.repeat(39)}  k-3`);
    await browser.audit('messages-hex');
    await browser.go(`/topics/${TOPIC}?tab=messages&seek=offset&offset=3&order=oldest_first&view=base64`);
    expect(await page.getByLabel('Value of offset 3', { exact: true }).filter({ visible: true }).textContent()).toBe(Buffer.from('{"n":3}').toString('base64'));
    const record = list().locator('[data-offset="3"]');
    await record.getByLabel('Show as').selectOption('json');
    expect(await page.getByLabel('Value of offset 3', { exact: true }).filter({ visible: true }).textContent()).toBe('{\n  "n": 3\n}');
  });

  it('takes the default format from the settings when the page names none; the record switch still wins', async () => {
    const value3 = () => page.getByLabel('Value of offset 3', { exact: true }).filter({ visible: true });
    const url = `/topics/${TOPIC}?tab=messages&seek=offset&offset=3&order=oldest_first`;
    await browser.go(url);
    expect(await value3().textContent()).toBe('{\n  "n": 3\n}'); // detected per record: JSON
    await browser.go('/settings');
    await page.getByRole('radio', { name: 'Base64' }).check();
    try {
      await browser.go(url);
      await page.waitForFunction((expected) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
        return doc.querySelector('[aria-label="Value of offset 3"]')?.textContent === expected;
      }, Buffer.from('{"n":3}').toString('base64'));
      await list().locator('[data-offset="3"]').getByLabel('Show as').selectOption('string');
      expect(await value3().textContent()).toBe('{"n":3}');
    } finally {
      await browser.go('/settings');
      await page.getByRole('radio', { name: 'Detect per record' }).check();
    }
  });

  it('renders a <script> value as inert text', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages`);
    const value = page.getByLabel('Value of offset 30').filter({ visible: true });
    expect(await value.textContent()).toBe(SCRIPT);
    expect(await value.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await browser.audit('messages-script-value');
  });

  it('shows a 1 MB value cut, then whole on "show all", and the page stays responsive', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages&partition=1`);
    const record = list().locator('[data-offset="0"]');
    await record.getByText('Cut at a preview length (977 KiB in full)').waitFor();
    await record.getByRole('button', { name: 'Show all' }).click();
    const more = record.getByRole('button', { name: /^Show more/ });
    await more.waitFor();
    expect(await more.textContent()).toContain(`${(1_000_000 - 64 * 1024).toLocaleString('en')} characters not shown`);
    // A click right after the whole value arrived is handled within a second.
    const theme = page.getByRole('button', { name: /theme/i }).first();
    const darkHtml = page.locator('html.dark');
    const wasDark = (await darkHtml.count()) > 0;
    const clickedAt = Date.now();
    await theme.click();
    await darkHtml.waitFor({ state: wasDark ? 'detached' : 'attached', timeout: 1000 });
    expect(Date.now() - clickedAt).toBeLessThan(1000);
    // Back to the light theme (the choice persists): the page header's link fails axe's link-in-text-block in the dark one.
    await theme.click();
    await darkHtml.waitFor({ state: wasDark ? 'attached' : 'detached' });
    await browser.audit('messages-1mb-value');
    await record.getByLabel('Show as').selectOption('hex');
    const hex = record.getByLabel('Value of offset 0', { exact: true });
    expect((await hex.textContent())!.split('\n')).toHaveLength(256);
    await record.getByRole('button', { name: `Show more (${(1_000_000 - 256 * 16).toLocaleString('en')} bytes not shown)` }).waitFor();
  });

  it('tails the partition live: a record produced after opening appears within 2 s, pause holds it', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages`);
    await page.getByRole('button', { name: 'Live tail' }).click();
    const state = page.getByTestId('tail-state').filter({ visible: true });
    await state.getByText(/● Live: .*from offset 31/).waitFor();
    const sentAt = Date.now();
    await producer.send({ topic: TOPIC, messages: [{ partition: 0, key: 'live-key', value: 'live-value' }] });
    const live = page.getByRole('list', { name: /^Live records of partition 0/ });
    await live.getByText('live-value').waitFor({ timeout: 2000 });
    expect(Date.now() - sentAt).toBeLessThan(2000);
    await browser.audit('messages-live-tail');

    await page.getByRole('button', { name: 'Pause' }).click();
    await producer.send({ topic: TOPIC, messages: [{ partition: 0, value: 'while-paused' }] });
    await state.getByText('Paused: 1 new record(s) held').waitFor();
    expect(await live.getByText('while-paused').count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await live.getByText('while-paused').waitFor();
    expect(await live.getByTestId('record').evaluateAll((items) => items.map((i) => i.getAttribute('data-offset')))).toEqual(['32', '31']);
  });

  it('exports the records shown as CSV', async () => {
    await browser.go(`/topics/${TOPIC}?tab=messages&key_contains=k-1`);
    expect(await offsets()).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 1]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`${TOPIC}-p0.csv`);
    const rows = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('partition,offset,timestamp,timestamp_type,key,value,headers,truncated');
    expect(rows.slice(1).map((r) => r.split(',')[1])).toEqual(['19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '1']);
    expect(rows[1]).toBe(`0,19,${T0 + 19_000},CreateTime,k-19,"{""n"":19}","{""trace"":""t19""}",false`);
  });

  it('produces a record with headers to a chosen partition and reports where it went', async () => {
    await browser.go(`/topics/${TOPIC}?tab=produce`);
    await page.getByLabel('Partition').selectOption('1');
    await page.getByLabel('Key', { exact: true }).fill('made-here');
    await page.getByLabel('Value', { exact: true }).fill('from the console');
    await page.getByLabel('Headers').fill('trace=abc\norigin=console');
    await page.getByRole('button', { name: 'Produce' }).click();
    const result = page.getByTestId('produce-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Delivered to partition 1 at offset 1');
    await browser.audit('messages-produced');
    const res = await fetch(`${session.gateway.baseUrl}/v3/clusters/${broker.clusterId}/topics/${TOPIC}/partitions/1/records?offset=1`);
    const read = (await res.json()) as ReadRecordsResponse;
    expect(read.records[0]).toMatchObject({
      offset: 1,
      key: { data: 'made-here' },
      value: { data: 'from the console' },
      headers: [
        { key: 'trace', value: { data: 'abc' } },
        { key: 'origin', value: { data: 'console' } },
      ],
    });
  });
});
