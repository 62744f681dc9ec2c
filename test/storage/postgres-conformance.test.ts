import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { runAnalyticsStoreConformance, runStateStoreConformance } from '../../src/testing/index.js';
import { describeFor, postgresAvailable, POSTGRES_URL, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('conf');
const runner = { describe: describeFor(available, SKIP_REASONS.postgres), it, expect, beforeEach, afterEach };
// A fresh store (and pool) per test over one schema, as a host restarting would see it.
const create = async () => postgresStore({ connectionString: POSTGRES_URL, max: 8, schema });

runStateStoreConformance({ name: 'postgresStore (pg Pool from a connection string)', create, cleanup: async (store) => store.close() }, runner);
runAnalyticsStoreConformance({ name: 'postgresStore', create, cleanup: async (store) => store.close() }, runner);

// Every name through the schema and the table prefix (moved here from the PGlite file: the same
// SQL, and real PostgreSQL runs the suite in a fraction of WASM PostgreSQL's CPU).
const prefixed = uniqueSchema('confpre');
runStateStoreConformance(
  {
    name: 'postgresStore with a schema and a table prefix',
    create: async () => postgresStore({ connectionString: POSTGRES_URL, max: 8, schema: prefixed, tablePrefix: 'bt2_' }),
    cleanup: async (store) => store.close(),
    concurrency: 200,
  },
  runner,
);

afterAll(async () => {
  if (available) await Promise.all([dropSchema(schema), dropSchema(prefixed)]);
});
