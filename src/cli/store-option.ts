/**
 * The `--store` flag of `listen` and `report`: `memory` (default), `pglite:<dir>`,
 * `postgres://…` / `postgresql://…`, `redis://…[?prefix=wa:]` / `rediss://…`. Stores are opened
 * through their public factories only (`bluetick/postgres`, `bluetick/redis`), imported when asked
 * for, so the CLI starts without their optional packages. URLs are printed with their password
 * masked.
 */
import { ConfigError } from '../errors.js';
import type { StateStore } from '../storage/state-store.js';
import { CliError, usageError } from './io.js';

/** A parsed `--store` value. */
export type StoreSpec = { kind: 'memory' } | { kind: 'pglite'; path: string } | { kind: 'postgres'; url: string } | { kind: 'redis'; url: string };

/** An opened store (undefined for memory: the tracker creates, and owns, its memory store). */
export interface OpenedStore {
  spec: StoreSpec;
  store: StateStore | undefined;
  /** The store as printable text (password masked). */
  label: string;
}

const FORMS = 'memory, pglite:<dir>, postgres://user@host/db or redis://host:6379';

/**
 * A URL with its password replaced by `***`, for messages and logs.
 *
 * @example
 * ```ts
 * maskUrl('postgres://app:s3cret@db/wa'); // 'postgres://app:***@db/wa'
 * ```
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

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
  throw usageError(`${command}: unknown --store "${maskUrl(v)}": use ${FORMS}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  if (error !== null && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/** One line for a store that cannot be used: the missing package with its install command, or the outage, never a password. */
function unavailable(command: string, what: string, label: string, peer: string, error: unknown): CliError {
  const missing = error instanceof ConfigError || /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/.test(describe(error));
  if (missing) return new CliError('store_unavailable', `${command}: the ${what} store needs the ${peer} package: npm install ${peer} (or use --store memory)`);
  const detail = describe(error).replaceAll(label, '').replace(/\/\/([^:/@]*):[^@/]*@/g, '//$1:***@');
  return new CliError('store_unavailable', `${command}: cannot use ${what} at ${label}: ${detail}`);
}

/**
 * Opens the store a spec names and waits until it is ready (package loaded, schema migrated,
 * server reachable).
 */
export async function openStore(command: string, spec: StoreSpec): Promise<OpenedStore> {
  if (spec.kind === 'memory') return { spec, store: undefined, label: 'memory' };
  if (spec.kind === 'redis') {
    const url = new URL(spec.url);
    const prefix = url.searchParams.get('prefix') ?? undefined;
    url.searchParams.delete('prefix');
    const label = maskUrl(spec.url);
    let store: StateStore | undefined;
    try {
      const { redisStore } = await import('../storage/redis/index.js');
      store = redisStore({ url: url.toString(), ...(prefix === undefined ? {} : { prefix }) });
      await store.ready();
      return { spec, store, label };
    } catch (error) {
      await store?.close().catch(() => undefined);
      throw unavailable(command, 'Redis', label, 'ioredis', error);
    }
  }
  const label = spec.kind === 'pglite' ? `pglite:${spec.path}` : maskUrl(spec.url);
  const peer = spec.kind === 'pglite' ? '@electric-sql/pglite' : 'pg';
  let store: StateStore | undefined;
  try {
    const pg = await import('../storage/postgres/index.js');
    if (spec.kind === 'pglite') {
      const { PGlite } = await import('@electric-sql/pglite');
      store = pg.pgliteStore(await PGlite.create(spec.path));
    } else {
      store = pg.postgresStore({ connectionString: spec.url, max: 4 });
    }
    await store.ready();
    return { spec, store, label };
  } catch (error) {
    await store?.close().catch(() => undefined);
    throw unavailable(command, spec.kind === 'pglite' ? 'PGlite' : 'PostgreSQL', label, peer, error);
  }
}
