/**
 * A tiny SQL driver interface, so the same statements run over `pg` (a Pool or one Client) and
 * over PGlite. Rows come back as arrays (`rowMode: 'array'`); state columns are decoded by walking
 * the column list (columns.ts).
 *
 * Nothing here keeps session state beyond one call: no named prepared statements, no LISTEN, no
 * SET outside a transaction. That is what makes the store safe behind PgBouncer in transaction
 * mode (see docs/postgres.md).
 */
import { importOptionalPeer } from '../../internal/optional-peer.js';
import type { OwnedPoolSettings } from './options.js';
import { describeValue } from '../../internal/describe.js';

/** Runs one statement and returns its rows as arrays of column values. */
export type SqlQuery = (text: string, params?: readonly unknown[]) => Promise<unknown[][]>;

/** What the store needs from a database connection (or pool). */
export interface SqlDriver {
  query: SqlQuery;
  /** Runs `fn` inside BEGIN … COMMIT on one connection (ROLLBACK when it throws). */
  transaction<T>(fn: (query: SqlQuery) => Promise<T>): Promise<T>;
  /** Releases what the store created (a pool from a connection string); a no-op otherwise. */
  end(): Promise<void>;
}

export interface PgQueryResult {
  rows: unknown[];
}

/** The part of a `pg.Client` (or a pooled client) the store uses. */
export interface PgClientLike {
  query(config: { text: string; values?: unknown[]; rowMode?: 'array' }): Promise<PgQueryResult>;
}

/** The part of a `pg.Pool` the store uses. */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgClientLike & { release(err?: Error | boolean): void }>;
  end(): Promise<void>;
}

/** The part of a PGlite instance the store uses (`@electric-sql/pglite` ≥ 0.2). */
export interface PgliteLike {
  query(text: string, params?: unknown[], options?: { rowMode?: 'array' }): Promise<PgQueryResult>;
  transaction<T>(fn: (tx: { query: PgliteLike['query'] }) => Promise<T>): Promise<T>;
}

function pgQuery(client: PgClientLike): SqlQuery {
  return async (text, params) => (await client.query({ text, values: params as unknown[] | undefined, rowMode: 'array' })).rows as unknown[][];
}

async function inTransaction<T>(query: SqlQuery, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
  await query('BEGIN');
  try {
    const out = await fn(query);
    await query('COMMIT');
    return out;
  } catch (err) {
    await query('ROLLBACK').catch(() => undefined); // the connection may be gone: the first error matters
    throw err;
  }
}

/** A driver over a `pg.Pool`; `owned` pools are ended by `end()`. */
export function poolDriver(pool: PgPoolLike, owned: boolean): SqlDriver {
  return {
    query: pgQuery(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await inTransaction(pgQuery(client), fn);
      } catch (err) {
        broken = err instanceof Error ? err : new Error(describeValue(err));
        throw err;
      } finally {
        // A failed transaction may leave the connection in an unknown state: discard it.
        client.release(broken);
      }
    },
    end: owned ? () => pool.end() : async () => undefined,
  };
}

/**
 * A driver over one `pg.Client`. A client runs one query at a time (pg 9 drops its implicit
 * queue), so statements queue here; a transaction (the migration) holds the queue until it ends,
 * so nothing interleaves with it.
 */
export function clientDriver(client: PgClientLike): SqlDriver {
  const direct = pgQuery(client);
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    query: (text, params) => enqueue(() => direct(text, params)),
    transaction: (fn) => enqueue(() => inTransaction(direct, fn)),
    end: async () => undefined,
  };
}

/** A driver over PGlite (in-process PostgreSQL); its `transaction` holds PGlite's own lock. */
export function pgliteDriver(db: PgliteLike): SqlDriver {
  const wrap =
    (q: PgliteLike['query']): SqlQuery =>
    async (text, params) =>
      (await q(text, params as unknown[] | undefined, { rowMode: 'array' })).rows as unknown[][];
  return {
    query: wrap(db.query.bind(db)),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx.query.bind(tx)))),
    end: async () => undefined,
  };
}

/** Creates a `pg.Pool`, importing `pg` only now: it is an optional peer dependency. */
export async function ownedPoolDriver(options: OwnedPoolSettings & { connectionString: string }): Promise<SqlDriver> {
  const mod = (await importOptionalPeer('bluetick/postgres', 'pg', () => import('pg'))) as unknown as { default?: { Pool: PoolCtor }; Pool?: PoolCtor };
  const Pool = mod.default?.Pool ?? mod.Pool;
  if (Pool === undefined) throw new Error("The 'pg' module has no Pool export.");
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    query_timeout: options.queryTimeoutMillis,
  });
  // Without a listener an idle connection's error (server restart, cut link) would crash the
  // process; the pool drops that connection and opens a fresh one on the next query.
  pool.on('error', options.onIdleError ?? (() => undefined));
  return poolDriver(pool, true);
}

type PoolCtor = new (config: Record<string, unknown>) => PgPoolLike & { on(event: 'error', fn: (err: Error) => void): unknown };

/** Creates a PGlite database (in memory, or in `dataDir`), importing `@electric-sql/pglite` only now; `end()` closes it. */
export async function ownedPgliteDriver(dataDir: string | undefined): Promise<SqlDriver> {
  const mod = (await importOptionalPeer('bluetick/postgres', '@electric-sql/pglite', () => import('@electric-sql/pglite'))) as unknown as {
    PGlite: { create(dataDir?: string): Promise<PgliteLike & { close(): Promise<void> }> };
  };
  const db = await mod.PGlite.create(dataDir);
  return { ...pgliteDriver(db), end: () => db.close() };
}
