import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTracker } from '../../src/tracking/tracker.js';
import { pgliteStore, postgresStore } from '../../src/storage/postgres/index.js';
import { statusEvent } from '../tracking/make-event.js';
import { runAnalyticsStoreConformance, runStateStoreConformance } from '../../src/testing/index.js';
import { describeFor, heavyTests, SKIP_REASONS } from '../helpers/services.js';

// One in-process database for the file; every test gets a fresh store over it (as a host would
// after a restart), so migration runs against an already migrated schema too.
let db: PGlite;
beforeAll(async () => {
  if (heavyTests) db = await PGlite.create();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

const runner = { describe: describeFor(heavyTests, SKIP_REASONS.pglite), it, expect, beforeEach, afterEach };

runStateStoreConformance({ name: 'pgliteStore', create: async () => pgliteStore(db), cleanup: async (store) => store.close(), concurrency: 200 }, runner);
runAnalyticsStoreConformance({ name: 'pgliteStore', create: async () => pgliteStore(db), cleanup: async (store) => store.close() }, runner);
// The same store on a named schema with a table prefix runs on real PostgreSQL
// (postgres-conformance.test.ts): the names are the same SQL whatever the driver, and WASM
// PostgreSQL is the slowest place to run the suite a second time.

describeFor(heavyTests, SKIP_REASONS.pglite)('postgresStore({ pglite }) with a schema and a table prefix', () => {
  it('tracks a status through its own tables', async () => {
    const store = postgresStore({ pglite: db, schema: 'other', tablePrefix: 'bt2_' });
    const tracker = createTracker({ store });
    const report = await tracker.ingest([statusEvent({ messageId: 'wamid.P1', status: 'delivered', at: 1_000 })]);
    expect(report.accepted).toBe(1);
    expect(await tracker.getState('wamid.P1')).toMatchObject({ messageId: 'wamid.P1', status: 'delivered' });
    const tables = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'other' ORDER BY 1`);
    expect(tables.rows.map((r) => r.name)).toContain('bt2_states');
    await tracker.close();
  });
});
