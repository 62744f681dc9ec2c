/**
 * Store module of the multi-process scenario for PostgreSQL: each worker process opens its own
 * pool on the schema the test names in BLUETICK_MP_SCHEMA.
 */
import type { StateStore } from '../../../../src/storage/state-store.js';
import { postgresStore } from '../../../../src/storage/postgres/index.js';
import { POSTGRES_URL } from '../../../helpers/services.js';

export async function createStore(): Promise<StateStore> {
  const schema = process.env.BLUETICK_MP_SCHEMA;
  if (!schema) throw new Error('BLUETICK_MP_SCHEMA is not set');
  const store = postgresStore({ connectionString: POSTGRES_URL, max: 4, schema, claimCleanupIntervalMs: 0 });
  await store.ready();
  return store;
}
