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

afterAll(async () => {
  if (available) await dropSchema(schema);
});
