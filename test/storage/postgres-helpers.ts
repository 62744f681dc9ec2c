/**
 * Shared helpers of the PostgreSQL store tests: a unique schema per test file run (so parallel
 * runs never collide) and dropping it afterwards.
 */
import pg from 'pg';
import { POSTGRES_URL } from '../helpers/services.js';

/** A schema name unique to this process and moment. */
export function uniqueSchema(tag: string): string {
  return `bt_${tag}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

/** Runs one statement on a short-lived connection. */
export async function adminQuery(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
