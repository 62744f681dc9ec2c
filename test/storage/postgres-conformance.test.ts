import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { runAnalyticsStoreConformance, runStateStoreConformance } from '../../src/testing/index.js';
import { postgresAvailable, POSTGRES_URL } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('conf');
const runner = { describe: available ? describe : describe.skip, it, expect, beforeEach, afterEach };
// A fresh store (and pool) per test over one schema, as a host restarting would see it.
const create = async () => postgresStore({ connectionString: POSTGRES_URL, max: 8, schema });

runStateStoreConformance({ name: 'postgresStore (pg Pool from a connection string)', create, cleanup: async (store) => store.close() }, runner);
runAnalyticsStoreConformance({ name: 'postgresStore', create, cleanup: async (store) => store.close() }, runner);

afterAll(async () => {
  if (available) await dropSchema(schema);
});
