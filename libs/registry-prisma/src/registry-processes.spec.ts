import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MockTime, Registry } from '@weir/broker-core';
import { spawnTs } from '../../../test/support/ts-child.js';
import { openRegistry, openRegistryStore } from './open-store.js';
import { createPgTestSchema, eventually, tempDir, TEST_DATABASE_URL, type PgTestSchema } from './testing/test-databases.js';

const child = (name: string): string => fileURLToPath(new URL(`./testing/${name}`, import.meta.url));

/** Collects a child's stdout lines; resolves `exited` with its exit code or signal. */
function watchChild(proc: ChildProcess): { lines: string[]; stderr: string[]; exited: Promise<number | string> } {
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  proc.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { lines, stderr, exited };
}

describe('restart after SIGKILL (PGlite)', () => {
  const dir = tempDir('weir-registry-restart');
  afterAll(() => dir.remove());

  it('keeps every acknowledged write; the dead session\'s ephemerals go after its timeout', async () => {
    const proc = spawnTs(child('restart-writer.child.ts'), [dir.path]);
    const out = watchChild(proc);
    await eventually(() => out.lines.filter((l) => l.startsWith('ack ')).length >= 40, 60_000, `40 acknowledged writes (stderr: ${out.stderr.join('')})`);
    proc.kill('SIGKILL');
    expect(await out.exited).toBe('SIGKILL');
    const acked = out.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
    const session = Number(out.lines.find((l) => l.startsWith('session '))!.slice(8));

    const time = new MockTime(Date.now());
    const registry = await Registry.open({ store: await openRegistryStore({ dataDir: dir.path }), time });
    try {
      for (const i of acked) expect(new TextDecoder().decode(registry.getData(`/acked/${i}`).data)).toBe(`value-${i}`);
      expect(registry.exists('/alive')?.ephemeralOwner).toBe(session);
      expect(await registry.expireSessions()).not.toContain(session);
      time.advance(60_001);
      expect(await registry.expireSessions()).toContain(session);
      expect(registry.exists('/alive')).toBeNull();
    } finally {
      await registry.close();
    }
  }, 120_000);
});

const describePg = TEST_DATABASE_URL === undefined ? describe.skip : describe;
if (TEST_DATABASE_URL === undefined) console.info('8-process CAS race skipped: TEST_DATABASE_URL is not set');

describePg('8 processes racing compare-and-set through PostgreSQL', () => {
  let db: PgTestSchema;
  let registry: Registry;
  beforeAll(async () => {
    db = await createPgTestSchema('w2_race');
    registry = await openRegistry({ databaseUrl: db.url, schema: db.schema });
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  it('loses no update: the final value equals the number of successful CAS calls', async () => {
    const workers = 8;
    const attempts = 25;
    await registry.create('/race');
    await registry.create('/race/ready');
    await registry.create('/race/counter', new TextEncoder().encode('0'));
    const procs = Array.from({ length: workers }, (_, i) => watchChild(spawnTs(child('cas-worker.child.ts'), [db.url, db.schema, String(i), String(attempts)])));
    await eventually(async () => {
      await registry.sync();
      return registry.getChildren('/race/ready').length === workers;
    }, 90_000, 'all workers at the barrier');
    await registry.create('/race/go');
    const codes = await Promise.all(procs.map((p) => p.exited));
    expect(codes).toEqual(Array(workers).fill(0));
    const tallies = procs.map((p) => JSON.parse(p.lines.find((l) => l.startsWith('{'))!) as { successes: number; conflicts: number });
    const successes = tallies.reduce((n, t) => n + t.successes, 0);
    await registry.sync();
    const { data, stat } = registry.getData('/race/counter');
    expect(Number(new TextDecoder().decode(data))).toBe(successes);
    expect(stat.version).toBe(successes);
    expect(tallies.reduce((n, t) => n + t.successes + t.conflicts, 0)).toBe(workers * attempts);
    console.info(`CAS race: ${successes} successes, ${workers * attempts - successes} BADVERSION conflicts`);
  }, 180_000);
});
