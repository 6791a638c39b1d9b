import fc from 'fast-check';
import { InMemoryRegistryStore, MockTime, Registry, RegistryError, type Op, type RegistryStore } from '@weir/broker-core';
import { openRegistryStore } from './open-store.js';
import { ReferenceModel, type ModelOp, type ModelResult } from './testing/reference-model.js';
import { tempDir } from './testing/test-databases.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const relPath = fc.constantFrom('/a', '/b', '/a/a', '/a/b', '/b/a', '/a/a/a', '/a/s-');
const version = fc.constantFrom(-1, 0, 1, 2);
const data = fc.constantFrom('', 'x', 'yy', '{"v":1}');
const mode = fc.constantFrom('PERSISTENT', 'PERSISTENT_SEQUENTIAL', 'EPHEMERAL', 'EPHEMERAL_SEQUENTIAL' as const);
const modelOp: fc.Arbitrary<ModelOp> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), path: relPath, data, mode }),
  fc.record({ kind: fc.constant('delete' as const), path: relPath, version }),
  fc.record({ kind: fc.constant('setData' as const), path: relPath, data, version }),
  fc.record({ kind: fc.constant('check' as const), path: relPath, version }),
);
const step = fc.oneof(
  { weight: 4, arbitrary: modelOp.map((op) => ({ multi: false as const, ops: [op] })) },
  { weight: 1, arbitrary: fc.array(modelOp, { minLength: 1, maxLength: 4 }).map((ops) => ({ multi: true as const, ops })) },
);

function toOp(op: ModelOp, root: string, sessionId: number): Op {
  const path = root + op.path;
  switch (op.kind) {
    case 'create':
      return { type: 'create', path, data: enc(op.data), mode: op.mode, sessionId };
    case 'delete':
      return { type: 'delete', path, version: op.version };
    case 'setData':
      return { type: 'setData', path, data: enc(op.data), version: op.version };
    case 'check':
      return { type: 'check', path, version: op.version };
  }
}

async function runOnRegistry(registry: Registry, op: Op): Promise<ModelResult> {
  try {
    switch (op.type) {
      case 'create':
        return { ok: true, value: await registry.create(op.path, op.data, { mode: op.mode, sessionId: op.sessionId }) };
      case 'delete':
        await registry.delete(op.path, op.version);
        return { ok: true, value: null };
      case 'setData':
        return { ok: true, value: (await registry.setData(op.path, op.data, op.version)).version };
      case 'check':
        registry.exists(op.path); // a lone check is a multi of one
        await registry.multi([op]);
        return { ok: true, value: null };
    }
  } catch (err) {
    if (err instanceof RegistryError) return { ok: false, code: err.code };
    throw err;
  }
}

/** Every node under root, with the stats the model tracks, read from the registry. */
function observe(registry: Registry, root: string): Map<string, unknown> {
  const seen = new Map<string, unknown>();
  const visit = (path: string): void => {
    const { data, stat } = registry.getData(path);
    const children = registry.getChildren(path);
    seen.set(path, { data: dec(data), version: stat.version, cversion: stat.cversion, owner: stat.ephemeralOwner, numChildren: stat.numChildren, dataLength: stat.dataLength, children });
    for (const c of children) visit(`${path}/${c}`);
  };
  visit(root);
  return seen;
}

function expected(model: ReferenceModel, root: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [path, n] of model.nodes) {
    if (path !== root && !path.startsWith(`${root}/`)) continue;
    const children = model.children(path);
    out.set(path, { data: n.data, version: n.version, cversion: n.cversion, owner: n.owner, numChildren: children.length, dataLength: enc(n.data).length, children });
  }
  return out;
}

function modelBasedSuite(name: string, openStore: () => Promise<RegistryStore>, numRuns: number): void {
  describe(`registry vs reference model: ${name}`, () => {
    let registry: Registry;
    let session: number;
    let run = 0;
    beforeAll(async () => {
      registry = await Registry.open({ store: await openStore(), time: new MockTime(Date.now()) });
      session = await registry.createSession(3_600_000);
    });
    afterAll(async () => {
      await registry?.close();
    });

    it('gives identical results and stats for random operation sequences', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          const root = `/model${++run}`;
          await registry.create(root);
          const model = new ReferenceModel(root);
          const absolute = (op: ModelOp): ModelOp => ({ ...op, path: root + op.path });
          for (const s of steps) {
            if (!s.multi) {
              const want = model.apply(absolute(s.ops[0]!), session);
              const got = await runOnRegistry(registry, toOp(s.ops[0]!, root, session));
              expect(got).toEqual(want);
            } else {
              const want = model.multi(s.ops.map(absolute), session);
              let got: ModelResult;
              try {
                const results = await registry.multi(s.ops.map((op) => toOp(op, root, session)));
                got = { ok: true, value: results.length };
              } catch (err) {
                if (!(err instanceof RegistryError)) throw err;
                got = { ok: false, code: err.code, index: err.results!.findIndex((r) => r.err !== 'OK') };
              }
              expect(got).toEqual(want);
            }
            expect(observe(registry, root)).toEqual(expected(model, root));
          }
        }),
        { numRuns },
      );
    });
  });
}

modelBasedSuite('in-memory store', async () => new InMemoryRegistryStore(), 200);

const dir = tempDir('weir-registry-model');
afterAll(() => dir.remove());
modelBasedSuite('PGlite store', () => openRegistryStore({ dataDir: dir.path }), 100);
