import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { BrokerChange } from './broker-api.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectCode } from './testing/expect-error.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('Broker produce: concurrent one-record calls', () => {
  let h: BrokerHarness;
  let appends: BrokerChange[];
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'events', partitions: 1 });
    appends = [];
    h.broker.onChange((e) => void (e.type === 'records-appended' && appends.push(e)));
  });
  afterEach(async () => h.close());

  it('share one append, and each call gets the offset that holds its own record', async () => {
    const calls = Array.from({ length: 30 }, (_, i) => h.broker.produce('events', [{ key: b(`k${i}`), value: b(`v${i}`) }]));
    const results = (await Promise.all(calls)).map(([r]) => r!);
    expect(appends).toHaveLength(1);
    expect(results.map((r) => r.offset).sort((x, y) => Number(x - y))).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i)));
    const read = await h.broker.readRecords('events', 0, { start: { offset: 0n }, maxRecords: 100 });
    results.forEach((r, i) => {
      expectCode(r, 'NONE');
      const stored = read.records.find((rec) => rec.offset === r.offset)!;
      expect(stored.value?.toString()).toBe(`v${i}`);
      expect(stored.key?.toString()).toBe(`k${i}`);
    });
  });

  it('never gathers past max.message.bytes: records that fit alone all succeed', async () => {
    await h.broker.alterTopicConfigs('events', [{ name: 'max.message.bytes', value: '400' }]);
    const value = b('x'.repeat(200));
    const calls = Array.from({ length: 6 }, () => h.broker.produce('events', [{ key: null, value }]));
    const tooLarge = h.broker.produce('events', [{ key: null, value: b('y'.repeat(500)) }]);
    for (const [r] of await Promise.all(calls)) expectCode(r!, 'NONE');
    expectCode((await tooLarge)[0]!, 'MESSAGE_TOO_LARGE');
    expect(appends).toHaveLength(6);
  });

  it('sends a record with its own timestamp alone, so a refused timestamp fails only that call', async () => {
    await h.broker.alterTopicConfigs('events', [{ name: 'message.timestamp.difference.max.ms', value: '1000' }]);
    const good = Array.from({ length: 3 }, (_, i) => h.broker.produce('events', [{ key: null, value: b(`g${i}`) }]));
    const stale = h.broker.produce('events', [{ key: null, value: b('old'), timestamp: 1 }]);
    for (const [r] of await Promise.all(good)) expectCode(r!, 'NONE');
    expectCode((await stale)[0]!, 'INVALID_TIMESTAMP');
  });

  it('answers gathered calls after the fsync when flush.messages asks for it', async () => {
    await h.broker.alterTopicConfigs('events', [{ name: 'flush.messages', value: '1' }]);
    const calls = Array.from({ length: 5 }, (_, i) => h.broker.produce('events', [{ key: null, value: b(`d${i}`) }]));
    for (const [r] of await Promise.all(calls)) expectCode(r!, 'NONE');
    await h.restart();
    expect(h.broker.describeTopic('events').partitions[0]!.logEndOffset).toBe(5n);
  });
});
