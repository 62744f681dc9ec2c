import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgliteStore, postgresStore } from '../../src/storage/postgres/index.js';
import { runAnalyticsStoreConformance, runStateStoreConformance } from '../../src/testing/index.js';

// One in-process database for the file; every test gets a fresh store over it (as a host would
// after a restart), so migration runs against an already migrated schema too.
let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

const runner = { describe, it, expect, beforeEach, afterEach };

runStateStoreConformance({ name: 'pgliteStore', create: async () => pgliteStore(db), cleanup: async (store) => store.close(), concurrency: 200 }, runner);
runAnalyticsStoreConformance({ name: 'pgliteStore', create: async () => pgliteStore(db), cleanup: async (store) => store.close() }, runner);

runStateStoreConformance(
  {
    name: 'postgresStore({ pglite }) with a schema and a table prefix',
    create: async () => postgresStore({ pglite: db, schema: 'other', tablePrefix: 'bt2_' }),
    cleanup: async (store) => store.close(),
    concurrency: 200,
  },
  runner,
);
