/**
 * `postgresStore` and `pgliteStore`: the {@link StateStore} and {@link AnalyticsStore} over
 * PostgreSQL (`pg`) or PGlite. The ingest step is one statement (ingest-sql.ts); the outbox is a
 * leased table (outbox.ts); the funnel runs in SQL (analytics-sql.ts).
 *
 * @packageDocumentation
 */
import { ConfigError, StorageError } from '../../errors.js';
import { RANK, type DeliveryState } from '../../state/state.js';
import type { AnalyticsStore } from '../analytics-store.js';
import type { Outbox } from '../outbox.js';
import { sanitizeText } from '../sanitize.js';
import type { StatePage, StateStore } from '../state-store.js';
import { checkStep } from '../step.js';
import { createAnalytics } from './analytics.js';
import { decodeState } from './columns.js';
import { clientDriver, ownedPgliteDriver, ownedPoolDriver, pgliteDriver, poolDriver, type PgliteLike, type SqlDriver } from './driver.js';
import { RETRYABLE_SQLSTATES, toStorageError } from './errors.js';
import { ingestCall } from './ingest-sql.js';
import { planStep, readStep } from './ingest.js';
import { migrate as runMigrations, type MigrationResult } from './migrate.js';
import { createNames, type Names, type ViewNames } from './names.js';
import { parsePgliteOptions, parsePostgresOptions, type Connection, type PgliteStoreOptions, type PostgresSettings, type PostgresStoreOptions } from './options.js';
import { createPostgresOutbox } from './outbox.js';
import { runRetention, type RetentionOptions, type RetentionResult } from './retention.js';
import { createStatements } from './sql.js';

/** Qualified names of the store's tables and views, for your own queries and dashboards. */
export interface PostgresTables {
  states: string;
  claims: string;
  outbox: string;
  /** Packed outbox records: one row per step for the tracker's listeners (see docs/postgres.md). */
  outboxSteps: string;
  deadLetters: string;
  schemaVersion: string;
  interactions: string;
  conversions: string;
  /** Created by `retention({ archive: true })`. */
  statesArchive: string;
  views: ViewNames;
}

/** The PostgreSQL store: a {@link StateStore} and {@link AnalyticsStore}, plus maintenance. */
export interface PostgresStore extends StateStore, AnalyticsStore {
  /** Creates or upgrades the tables, functions and views (idempotent, safe across processes; moves 0.1 data). */
  migrate(): Promise<MigrationResult>;
  /** Deletes (or archives) states not updated since the cutoff, older records and dead letters, in bounded batches. */
  retention(options: RetentionOptions): Promise<RetentionResult>;
  /** Deletes expired claims in bounded batches; resolves with how many were deleted. */
  cleanupExpiredClaims(options?: { batch?: number; maxBatches?: number }): Promise<number>;
  readonly tables: PostgresTables;
}

const MAX_ATTEMPTS = 3;
const PAGE = 1000;
const STALE_RANKS: Record<string, number> = { pending: RANK.pending, sent: RANK.sent, delivered: RANK.delivered, read: RANK.read };

function driverFor(connection: Connection): () => Promise<SqlDriver> {
  switch (connection.kind) {
    case 'connectionString':
      return () => ownedPoolDriver(connection);
    case 'pool':
      return async () => poolDriver(connection.pool, false);
    case 'client':
      return async () => clientDriver(connection.client);
    case 'pglite':
      return async () => pgliteDriver(connection.pglite);
    case 'pgliteDataDir':
      return () => ownedPgliteDriver(connection.dataDir);
  }
}

function tablesOf(n: Names): PostgresTables {
  return {
    states: n.states,
    claims: n.claims,
    outbox: n.outbox,
    outboxSteps: n.outboxSteps,
    deadLetters: n.deadLetters,
    schemaVersion: n.version,
    interactions: n.interactions,
    conversions: n.conversions,
    statesArchive: n.archive,
    views: n.views,
  };
}

/** Builds a store over a parsed connection (both factories end here). */
function createStore(connection: Connection, settings: PostgresSettings): PostgresStore {
  const names = createNames(settings.schema, settings.tablePrefix);
  const sql = createStatements(names);
  const ingest = ingestCall(names);
  const cleanupBatch = Math.max(1, settings.claimCleanupBatch ?? 5000);
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
  // Start loading the driver now, so that ready() (awaited before the first webhook) answers
  // fast; a failure (a missing package) is reported by ready() and every operation.
  getDriver().catch(() => undefined);

  async function prepared(): Promise<SqlDriver> {
    const d = await getDriver();
    if (settings.migrate !== false) {
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

  /**
   * Runs an operation, retrying deadlocks and serialization failures: every operation is one
   * statement (atomic, rolled back whole), so a retry is safe. ConfigErrors pass unchanged.
   */
  async function run<T>(what: string, fn: (d: SqlDriver) => Promise<T>): Promise<T> {
    if (closed) throw closedError();
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(await prepared());
      } catch (err) {
        if (closed) throw closedError(err);
        const state = (err as { code?: unknown } | null)?.code;
        if (attempt < MAX_ATTEMPTS && typeof state === 'string' && RETRYABLE_SQLSTATES.has(state)) continue;
        if (err instanceof ConfigError) throw err;
        throw toStorageError(err, what);
      }
    }
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

  const interval = settings.claimCleanupIntervalMs ?? 600_000;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (interval > 0) {
    timer = setInterval(() => {
      cleanupExpiredClaims().catch((err: unknown) => {
        if (!closed) settings.onBackgroundError?.(toStorageError(err, 'claim cleanup'));
      });
    }, interval);
    timer.unref?.();
  }

  const decodeRows = (rows: unknown[][]): DeliveryState[] => rows.map((r) => decodeState(r));
  const outbox: Outbox = createPostgresOutbox(names, run);
  const analytics = createAnalytics(names, run);

  return {
    async ingest(step) {
      if (closed) throw closedError();
      checkStep(step);
      const plan = planStep(step, Date.now());
      const rows = plan.empty ? [] : await run('ingest', (d) => d.query(ingest, plan.params));
      return readStep(plan, rows);
    },
    async get(key) {
      const rows = await run('get', (d) => d.query(sql.get, [sanitizeText(key)]));
      return rows.length === 0 ? null : decodeState(rows[0] as unknown[]);
    },
    async findByMessage(ref) {
      const params: unknown[] = [sanitizeText(ref.messageId)];
      if (ref.provider !== undefined) params.push(ref.provider);
      return decodeRows(await run('findByMessage', (d) => d.query(sql.findByMessage(ref.provider !== undefined), params)));
    },
    async findStale(query) {
      const limit = query.limit;
      if (limit !== undefined && limit <= 0) return [];
      const ranks = query.statuses.map((s) => STALE_RANKS[s]).filter((r) => r !== undefined);
      return decodeRows(await run('findStale', (d) => d.query(sql.findStale, [ranks, Math.floor(query.olderThan), limit ?? null])));
    },
    async resolveAliases(provider, aliases) {
      if (aliases.length === 0) return {};
      const rows = await run('resolveAliases', (d) => d.query(sql.aliases, [provider, aliases.map(sanitizeText)]));
      const out: Record<string, string> = {};
      for (const r of rows) out[String(r[0])] = String(r[1]);
      return out;
    },
    async scanStates(opts = {}): Promise<StatePage> {
      const limit = Math.max(1, Math.floor(opts.limit ?? PAGE));
      const after = opts.cursor ?? ''; // the last key of the previous page: '' sorts before every key
      const rows = await run('scanStates', (d) => d.query(sql.scan, [after, limit]));
      const states = rows.map((r) => decodeState(r, 1));
      return { states, cursor: rows.length === limit ? String((rows[rows.length - 1] as unknown[])[0]) : null };
    },
    outbox,
    ...analytics,
    async ready() {
      await run('ready', async (d) => {
        await d.query(sql.ping);
      });
    },
    async ping() {
      if (closed) throw closedError();
      try {
        await (await getDriver()).query(sql.ping);
      } catch (err) {
        if (closed) throw closedError(err);
        if (err instanceof ConfigError) throw err;
        throw toStorageError(err, 'ping');
      }
    },
    async migrate() {
      if (closed) throw closedError();
      try {
        const result = await runMigrations(await getDriver(), names);
        migrated = Promise.resolve(result);
        return result;
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw toStorageError(err, 'migrate');
      }
    },
    retention: (opts: RetentionOptions) => run('retention', (d) => runRetention(d.query, names, opts)),
    cleanupExpiredClaims,
    tables: tablesOf(names),
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (driver !== undefined) await (await driver.catch(() => null))?.end();
    },
  };
}

/**
 * Creates a PostgreSQL-backed store: give ONE options object with exactly one connection and the
 * settings. With `connectionString` the store imports `pg`, creates its own pool and ends it at
 * `close()`; a `pool`, `client` or `pglite` you pass is used as is and never closed. Unknown or
 * misplaced options are a `ConfigError`.
 *
 * @example
 * ```ts
 * import { createTracker } from 'bluetick';
 * import { postgresStore } from 'bluetick/postgres';
 *
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL!, max: 10, schema: 'whatsapp' });
 * const tracker = createTracker({ store }); // await tracker.ready() before taking traffic
 * await tracker.funnel({ from: '2025-01-01', to: '2025-02-01', groupBy: 'day' }); // analytics built in
 * // your pool: postgresStore({ pool, tablePrefix: 'wa_' })
 * ```
 */
export function postgresStore(options: PostgresStoreOptions, ...rest: unknown[]): PostgresStore {
  const { connection, settings } = parsePostgresOptions(options, rest);
  return createStore(connection, settings);
}

/**
 * The same store over PGlite (in-process PostgreSQL, `@electric-sql/pglite`): the same
 * statements, the same tables. Give your PGlite instance (never closed by the store), or
 * `{ dataDir }` / nothing to let the store create one (in memory without `dataDir`) and close it.
 *
 * @example
 * ```ts
 * import { pgliteStore } from 'bluetick/postgres';
 *
 * const store = pgliteStore({ dataDir: './bluetick-data' }); // or pgliteStore(await PGlite.create())
 * await store.ready();
 * ```
 */
export function pgliteStore(options?: PgliteStoreOptions | PgliteLike, ...rest: unknown[]): PostgresStore {
  const { connection, settings } = parsePgliteOptions(options, rest);
  return createStore(connection, settings);
}
