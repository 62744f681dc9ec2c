/**
 * The `--store` flag of `listen` and `report`: `memory` (default), `pglite:<dir>`,
 * `postgres://…` / `postgresql://…`, `redis://…` / `rediss://…`. Store modules and their optional
 * peers (pg, @electric-sql/pglite, ioredis) are imported only when that store is asked for, so
 * the CLI starts without them.
 */
import type { StorageAdapter } from '../storage/adapter.js';
import type { DeliveryState } from '../tracking/state.js';
import { CliError, usageError } from './io.js';

/** A parsed `--store` value. */
export type StoreSpec =
  | { kind: 'memory' }
  | { kind: 'pglite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'redis'; url: string };

/** An opened store, and (for SQL stores) a way to read every state back for `report`. */
export interface OpenedStore {
  spec: StoreSpec;
  /** undefined for memory: the tracker creates (and owns) its memory store. */
  store: StorageAdapter | undefined;
  listStates?: () => Promise<DeliveryState[]>;
  close(): Promise<void>;
}

const FORMS = 'memory, pglite:<dir>, postgres://user@host/db or redis://host:6379';

/** Parses a `--store` value; a usage error names the accepted forms. */
export function parseStoreSpec(command: string, value: string | undefined): StoreSpec {
  const v = (value ?? 'memory').trim();
  if (v === 'memory') return { kind: 'memory' };
  if (v.startsWith('pglite:')) {
    const path = v.slice('pglite:'.length);
    if (path === '') throw usageError(`${command}: --store pglite:<dir> needs a directory, e.g. pglite:./bluetick-data`);
    return { kind: 'pglite', path };
  }
  if (/^postgres(ql)?:\/\//.test(v)) return { kind: 'postgres', url: v };
  if (/^rediss?:\/\//.test(v)) return { kind: 'redis', url: v };
  throw usageError(`${command}: unknown --store "${v}": use ${FORMS}`);
}

/** A store's module or its peer could not be loaded: one clear line. */
async function load<T>(what: string, peer: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError('store_unavailable', `the ${what} store is not available (${detail}); install ${peer}, or use --store memory`);
  }
}

/** Opens the store a spec names. */
export async function openStore(spec: StoreSpec): Promise<OpenedStore> {
  if (spec.kind === 'memory') return { spec, store: undefined, close: async () => undefined };
  if (spec.kind === 'redis') return openRedis(spec);
  const pg = await load('PostgreSQL', spec.kind === 'pglite' ? '@electric-sql/pglite' : 'pg', () => import('../storage/postgres/index.js'));
  const { COLUMNS, decodeState } = await import('../storage/postgres/columns.js');
  const select = (table: string) => `SELECT ${COLUMNS.map((c) => c.name).join(', ')} FROM ${table}`;
  if (spec.kind === 'pglite') {
    const { PGlite } = await load('PGlite', '@electric-sql/pglite', () => import('@electric-sql/pglite'));
    const db = await PGlite.create(spec.path);
    const store = pg.pgliteStore(db);
    await store.migrate();
    const listStates = async () => (await db.query<unknown[]>(select(store.tables.states), [], { rowMode: 'array' })).rows.map((r) => decodeState(r));
    return { spec, store, listStates, close: async () => (await store.close(), await db.close()) };
  }
  const { default: pgModule } = await load('PostgreSQL', 'pg', () => import('pg'));
  const pool = new pgModule.Pool({ connectionString: spec.url, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  const store = pg.postgresStore({ pool });
  try {
    await store.migrate();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CliError('store_unavailable', `cannot use PostgreSQL at ${spec.url}: ${(error as Error).message}`);
  }
  const listStates = async () => (await pool.query({ text: select(store.tables.states), rowMode: 'array' })).rows.map((r: unknown[]) => decodeState(r));
  return { spec, store, listStates, close: async () => (await store.close(), await pool.end()) };
}

/**
 * Redis: `redis://host:port[/db][?prefix=wa:]` (the key prefix, default `bluetick:`). `report`
 * reads every state back by scanning the prefix's state keys (`<prefix>{<message>}:s:…`).
 */
async function openRedis(spec: Extract<StoreSpec, { kind: 'redis' }>): Promise<OpenedStore> {
  const { redisStore } = await load('Redis', 'ioredis', () => import('../storage/redis/index.js'));
  const { decodeState } = await import('../storage/redis/codec.js');
  const url = new URL(spec.url);
  const prefix = url.searchParams.get('prefix') ?? undefined;
  url.searchParams.delete('prefix');
  const store = redisStore({ url: url.toString(), ...(prefix === undefined ? {} : { prefix }) });
  await store.ping().catch((error: Error) => {
    void store.close();
    throw new CliError('store_unavailable', `cannot reach Redis at ${spec.url}: ${error.message}`);
  });
  const { Redis } = await load('Redis', 'ioredis', () => import('ioredis'));
  const listStates = async (): Promise<DeliveryState[]> => {
    const client = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const states: DeliveryState[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${store.keys.prefix}{*}:s:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) for (const json of await client.mget(...keys)) if (json !== null) states.push(decodeState(json));
      } while (cursor !== '0');
      return states;
    } finally {
      client.disconnect();
    }
  };
  return { spec, store, listStates, close: () => store.close() };
}
