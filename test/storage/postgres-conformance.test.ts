import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { runStorageAdapterConformance } from '../../src/testing/index.js';
import { postgresAvailable, POSTGRES_URL, describeFor, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('conf');

runStorageAdapterConformance(
  {
    name: 'postgresStore (pg Pool from a connection string)',
    create: async () => postgresStore({ connectionString: POSTGRES_URL, max: 8 }, { schema }),
    cleanup: async (store) => store.close(),
  },
  { describe: describeFor(available, SKIP_REASONS.postgres), it, expect, beforeEach, afterEach },
);

afterAll(async () => {
  if (available) await dropSchema(schema);
});
