import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEvent, MockTime, MockTimer } from '@weir/broker-core';
import { openRegistryStore, type PrismaClient, type PrismaRegistryStore } from '@weir/registry-prisma';
import { AuditRetention } from './audit-retention.js';
import { AuditWriter } from './audit-writer.js';

/** The writer and the retention purge against a real PGlite database, the retry driven by a mock clock. */
let dir: string;
let store: PrismaRegistryStore;
let prisma: PrismaClient;
let time: MockTime;
let timer: MockTimer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weir-audit-'));
  store = await openRegistryStore({ dataDir: dir });
  prisma = store.client;
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await prisma.auditEntry.deleteMany({});
  time = new MockTime();
  timer = new MockTimer(time);
});

afterEach(() => timer.close());

const event = (i: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  actor: 'alice', door: 'kafka', source: '127.0.0.1', action: 'records.delete', resource: `topic:t${i}`, result: 'success', ...extra,
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('AuditWriter', () => {
  it('writes every entry in the order recorded, across batches, offsets (bigints) as decimal strings', async () => {
    const writer = new AuditWriter(prisma, timer);
    for (let i = 0; i < 450; i++) writer.record(event(i, i === 0 ? { before: { low_watermark: 12n }, after: { low_watermark: 2n ** 63n - 1n } } : {}));
    await writer.flush();
    const rows = await prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.resource)).toEqual(Array.from({ length: 450 }, (_, i) => `topic:t${i}`));
    expect(rows[0]).toMatchObject({ before: { low_watermark: '12' }, after: { low_watermark: '9223372036854775807' }, error: null });
    expect(writer.pending).toBe(0);
  });

  it('writes a NUL (which PostgreSQL text and jsonb refuse) as U+2400, and the entries after it', async () => {
    const writer = new AuditWriter(prisma, timer);
    writer.record(event(0, { resource: 'topic:bad\u0000name', result: 'failure', error: 'invalid name "bad\u0000name"', before: { 'key\u0000': 'value\u0000', list: ['\u0000'] } }));
    writer.record(event(1));
    await writer.flush();
    const rows = await prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.resource)).toEqual(['topic:bad\u2400name', 'topic:t1']);
    expect(rows[0]).toMatchObject({ error: 'invalid name "bad\u2400name"', before: { 'key\u2400': 'value\u2400', list: ['\u2400'] } });
    expect(writer.pending).toBe(0);
  });

  it('keeps entries whose write failed and retries them on the timer, still in order', async () => {
    let failuresLeft = 2;
    let attempts = 0;
    // The database refusing twice, then answering (the Prisma client is not Weir's code).
    const flaky = {
      auditEntry: {
        createMany: (args: Parameters<PrismaClient['auditEntry']['createMany']>[0]) => {
          attempts++;
          if (failuresLeft-- > 0) return Promise.reject(new Error('connection refused'));
          return prisma.auditEntry.createMany(args);
        },
      },
    } as unknown as PrismaClient;
    const writer = new AuditWriter(flaky, timer);
    writer.record(event(1));
    await until(() => timer.size() === 1, 'the retry to be scheduled');
    writer.record(event(2));
    expect(attempts).toBe(1); // no new write while a retry is pending
    time.advance(2_000);
    await until(() => attempts === 2 && timer.size() === 1, 'the first retry to fail');
    time.advance(2_000);
    await until(() => writer.pending === 0, 'the entries to be written');
    const rows = await prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.resource)).toEqual(['topic:t1', 'topic:t2']);
  });
});

describe('AuditRetention', () => {
  it('deletes the entries older than the retention and keeps the rest', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await prisma.auditEntry.createMany({
      data: [91, 90.5, 89, 0].map((d) => ({ time: daysAgo(d), actor: 'alice', door: 'rest', source: 'x', action: 'topic.delete', resource: `topic:t${d}`, result: 'success' })),
    });
    expect(await new AuditRetention(prisma, timer, 90).purge(now)).toBe(2);
    expect((await prisma.auditEntry.findMany({ orderBy: { id: 'asc' } })).map((r) => r.resource)).toEqual(['topic:t89', 'topic:t0']);
  });
});
