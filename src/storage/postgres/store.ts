/**
 * `postgresStore`: the {@link StorageAdapter} over PostgreSQL (`pg`) or PGlite. Claims and merges
 * are single atomic statements (see sql.ts); batches are one round trip per ≤ `maxBatch` keys.
 *
 * @packageDocumentation
 */
import { withAnalytics, type PostgresAnalyticsStore } from './analytics.js';
import { StorageError } from '../../errors.js';
import type { MergeItem, MergeResult, MessageRef, StaleQuery, StorageAdapter } from '../adapter.js';
import type { DeliveryState } from '../../tracking/state.js';
import { groupByKey, uniqueIds, unfold } from './batch.js';
import { decodeState, encodeColumns } from './columns.js';
import { clientDriver, ownedPoolDriver, pgliteDriver, poolDriver, type OwnedPoolOptions, type PgClientLike, type PgliteLike, type PgPoolLike, type SqlDriver } from './driver.js';
import { RETRYABLE_SQLSTATES, toStorageError } from './errors.js';
import { migrate as runMigrations, type MigrationResult } from './migrate.js';
import { createNames } from './names.js';
import { createStatements } from './sql.js';

/**
 * Where the store connects: a connection string (the store creates, and `close()` ends, its own
 * `pg.Pool`), your `pg.Pool`, one `pg.Client`, or a PGlite instance.
 */
export type PostgresConnection = OwnedPoolOptions | { pool: PgPoolLike } | { client: PgClientLike } | { pglite: PgliteLike };

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** Schema of the tables (created when missing). Default `public`. */
  schema?: string;
  /** Prefix of table and function names. Default `bluetick_`. */
  tablePrefix?: string;
  /** Create or upgrade the tables on first use. Default true; with false call `migrate()` yourself. */
  migrate?: boolean;
  /** Most keys (or claim ids) per statement in batch calls. Default 1000. */
  maxBatch?: number;
  /** Expired claims deleted per statement by `cleanupExpiredClaims`. Default 5000. */
  claimCleanupBatch?: number;
  /** Delete expired claims this often (an unref'd timer); 0 disables. Default 10 minutes. */
  claimCleanupIntervalMs?: number;
  /** Receives failures of the background claim cleanup (default: ignored; the next run retries). */
  onBackgroundError?: (err: StorageError) => void;
}

/** The PostgreSQL store: every optional {@link StorageAdapter} method plus maintenance. */
export interface PostgresStore extends StorageAdapter {
  claimMany(ids: readonly string[], ttlMs: number): Promise<boolean[]>;
  mergeMany(items: readonly MergeItem[]): Promise<MergeResult[]>;
  findStale(query: StaleQuery): Promise<DeliveryState[]>;
  findByMessage(ref: MessageRef): Promise<DeliveryState[]>;
  ping(): Promise<void>;
  /** Creates or upgrades the tables (idempotent, safe across processes). */
  migrate(): Promise<MigrationResult>;
  /** Deletes expired claims in bounded batches; resolves with how many were deleted. */
  cleanupExpiredClaims(options?: { batch?: number; maxBatches?: number }): Promise<number>;
  /** Qualified table names, for your own queries. */
  readonly tables: { states: string; claims: string; schemaVersion: string };
}

const MAX_ATTEMPTS = 3;

function driverFor(connection: PostgresConnection): () => Promise<SqlDriver> {
  if ('pglite' in connection) return async () => pgliteDriver(connection.pglite);
  if ('pool' in connection) return async () => poolDriver(connection.pool, false);
  if ('client' in connection) return async () => clientDriver(connection.client);
  if (typeof connection.connectionString === 'string') return () => ownedPoolDriver(connection);
  throw new StorageError('query_failed', 'postgresStore(): give { connectionString }, { pool }, { client } or { pglite }.');
}

/**
 * Creates a PostgreSQL-backed {@link StorageAdapter}. `pg` is imported lazily, and only for a
 * connection string; a pool, client or PGlite instance you pass is used as is (and not closed).
 *
 * @example
 * ```ts
 * import { createTracker } from 'bluetick';
 * import { postgresStore } from 'bluetick/postgres';
 *
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL!, max: 10 });
 * const tracker = createTracker({ store });
 * await tracker.funnel({ from: '2025-01-01', to: '2025-02-01', groupBy: 'day' }); // analytics built in
 * // PGlite (tests, edge, desktop): postgresStore({ pglite: await PGlite.create() })
 * ```
 */
export function postgresStore(connection: PostgresConnection, options: PostgresStoreOptions = {}): PostgresAnalyticsStore {
  const names = createNames(options.schema, options.tablePrefix);
  const sql = createStatements(names);
  const maxBatch = Math.max(1, options.maxBatch ?? 1000);
  const cleanupBatch = Math.max(1, options.claimCleanupBatch ?? 5000);
  const makeDriver = driverFor(connection);
  let driver: Promise<SqlDriver> | undefined;
  let migrated: Promise<unknown> | undefined;
  let closed = false;

  function getDriver(): Promise<SqlDriver> {
    driver ??= makeDriver().catch((err: unknown) => {
      driver = undefined;
      throw err;
    });
    return driver;
  }

  async function ready(): Promise<SqlDriver> {
    const d = await getDriver();
    if (options.migrate !== false) {
      // Memoized; forgotten on failure so that the first call after an outage retries it.
      migrated ??= runMigrations(d, names).catch((err: unknown) => {
        migrated = undefined;
        throw err;
      });
      await migrated;
    }
    return d;
  }

  const closedError = (cause?: unknown) => new StorageError('closed', 'The PostgreSQL store is closed.', { cause });

  /** Runs an operation, retrying deadlocks/serialization failures (each statement is atomic, so a retry is safe). */
  async function run<T>(what: string, fn: (d: SqlDriver) => Promise<T>): Promise<T> {
    if (closed) throw closedError();
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(await ready());
      } catch (err) {
        if (closed) throw closedError(err);
        const state = (err as { code?: unknown } | null)?.code;
        if (attempt < MAX_ATTEMPTS && typeof state === 'string' && RETRYABLE_SQLSTATES.has(state)) continue;
        throw toStorageError(err, what);
      }
    }
  }

  async function mergeBatch(items: readonly MergeItem[]): Promise<MergeResult[]> {
    const out = new Array<MergeResult>(items.length);
    const groups = groupByKey(items);
    for (let start = 0; start < groups.length; start += maxBatch) {
      const chunk = groups.slice(start, start + maxBatch);
      const params = encodeColumns(
        chunk.map((g) => g.key),
        chunk.map((g) => g.joined),
      );
      const rows = await run('merge', (d) => d.query(sql.merge, params));
      const byKey = new Map<string, unknown[]>();
      for (const row of rows) byKey.set(String(row[0]), row);
      for (const g of chunk) {
        const row = byKey.get(g.key);
        if (row === undefined) throw new StorageError('query_failed', `PostgreSQL merge returned no row for ${g.key}.`);
        const prev = row[1] as unknown[] | null;
        unfold(g, items, prev === null ? null : decodeState(prev), decodeState(row, 2), out);
      }
    }
    return out;
  }

  async function claimBatch(ids: readonly string[], ttlMs: number): Promise<boolean[]> {
    if (!(ttlMs > 0)) throw new RangeError('claim(): ttlMs must be positive');
    const { unique, first } = uniqueIds(ids);
    const won = new Set<string>();
    for (let start = 0; start < unique.length; start += maxBatch) {
      const chunk = unique.slice(start, start + maxBatch);
      const rows = await run('claim', (d) => d.query(sql.claim, [chunk, ttlMs]));
      for (const row of rows) won.add(String(row[0]));
    }
    return ids.map((id, i) => first[i] === true && won.has(id));
  }

  async function cleanupExpiredClaims(opts: { batch?: number; maxBatches?: number } = {}): Promise<number> {
    const batch = Math.max(1, opts.batch ?? cleanupBatch);
    const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
    let total = 0;
    for (let n = 0; n < maxBatches; n++) {
      const rows = await run('claim cleanup', (d) => d.query(sql.cleanupClaims, [batch]));
      const deleted = Number((rows[0] as unknown[] | undefined)?.[0] ?? 0);
      total += deleted;
      if (deleted < batch) break;
    }
    return total;
  }

  const interval = options.claimCleanupIntervalMs ?? 600_000;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (interval > 0) {
    timer = setInterval(() => {
      cleanupExpiredClaims().catch((err: unknown) => {
        if (!closed) options.onBackgroundError?.(toStorageError(err, 'claim cleanup'));
      });
    }, interval);
    timer.unref?.();
  }

  const decodeRows = (rows: unknown[][]) => rows.map((r) => decodeState(r));

  const store: PostgresStore = {
    async claim(id, ttlMs) {
      return (await claimBatch([id], ttlMs))[0] === true;
    },
    claimMany: claimBatch,
    async merge(key, observation) {
      return (await mergeBatch([{ key, observation }]))[0] as MergeResult;
    },
    mergeMany: mergeBatch,
    async get(key) {
      const rows = await run('get', (d) => d.query(sql.get, [key]));
      return rows.length === 0 ? null : decodeState(rows[0] as unknown[]);
    },
    async findStale(query) {
      const limit = query.limit;
      if (limit !== undefined && limit <= 0) return [];
      const ranks = query.statuses.map((s) => ({ pending: 1, sent: 2, delivered: 3, read: 4 })[s]);
      return decodeRows(await run('findStale', (d) => d.query(sql.findStale, [ranks, Math.floor(query.olderThan), limit ?? null])));
    },
    async findByMessage(ref) {
      const params: unknown[] = [ref.messageId];
      if (ref.provider !== undefined) params.push(ref.provider);
      if (ref.accountId !== undefined) params.push(ref.accountId);
      const text = sql.findByMessage(ref.provider !== undefined, ref.accountId !== undefined);
      return decodeRows(await run('findByMessage', (d) => d.query(text, params)));
    },
    async ping() {
      await run('ping', (d) => d.query(sql.ping));
    },
    async migrate() {
      if (closed) throw closedError();
      try {
        const result = await runMigrations(await getDriver(), names);
        migrated = Promise.resolve(result);
        return result;
      } catch (err) {
        throw toStorageError(err, 'migrate');
      }
    },
    cleanupExpiredClaims,
    tables: { states: names.states, claims: names.claims, schemaVersion: names.version },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (driver !== undefined) await (await driver.catch(() => null))?.end();
    },
  };
  return withAnalytics(store, getDriver, options);
}

/**
 * The same store over PGlite (in-process PostgreSQL, `@electric-sql/pglite`): the same
 * statements, the same tables. Handy for tests, desktop apps and single-process deployments.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { pgliteStore } from 'bluetick/postgres';
 *
 * const store = pgliteStore(await PGlite.create('./bluetick-data'));
 * ```
 */
export function pgliteStore(db: PgliteLike, options: PostgresStoreOptions = {}): PostgresAnalyticsStore {
  return postgresStore({ pglite: db }, options);
}
