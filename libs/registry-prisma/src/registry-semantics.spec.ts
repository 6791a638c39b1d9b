import { InMemoryRegistryStore } from '@weir/broker-core';
import { openRegistryStore } from './open-store.js';
import { registrySemanticsSuite } from './testing/semantics-suite.js';
import { createPgTestSchema, tempDir, TEST_DATABASE_URL, type PgTestSchema } from './testing/test-databases.js';

describe('registry semantics: in-memory store', () => {
  registrySemanticsSuite({ openStore: async () => new InMemoryRegistryStore() });
});

describe('registry semantics: PGlite store', () => {
  const dir = tempDir('weir-registry-pglite');
  afterAll(() => dir.remove());
  registrySemanticsSuite({ openStore: () => openRegistryStore({ dataDir: dir.path }) });
});

const describePg = TEST_DATABASE_URL === undefined ? describe.skip : describe;
if (TEST_DATABASE_URL === undefined) console.info('registry semantics: PostgreSQL store skipped (TEST_DATABASE_URL is not set)');

describePg('registry semantics: PostgreSQL store', () => {
  let db: PgTestSchema | undefined;
  const database = async (): Promise<PgTestSchema> => (db ??= await createPgTestSchema('w2_semantics'));
  afterAll(async () => {
    await db?.drop();
  });
  registrySemanticsSuite({
    openStore: async () => {
      const { url, schema } = await database();
      return openRegistryStore({ databaseUrl: url, schema });
    },
    openPeerStore: async () => {
      const { url, schema } = await database();
      return openRegistryStore({ databaseUrl: url, schema });
    },
  });
});
