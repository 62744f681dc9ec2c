/**
 * Lazy loading of optional peer dependencies (pg, ioredis, bullmq, prom-client, the AWS SDK).
 * Each subpath imports its peer only when a function that needs it runs, so every subpath loads
 * without its peers installed; when the peer is missing, the error says which package to install
 * instead of Node's bare "Cannot find package 'pg' imported from …/dist/postgres.js".
 */
import { ConfigError } from '../errors.js';

const NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * True when `err` says that `peer` itself cannot be found (not one of the peer's own dependencies,
 * and not an error the peer raised while loading: those must surface unchanged).
 */
export function isMissingPeer(err: unknown, peer: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  const notFound = (typeof e?.code === 'string' && NOT_FOUND_CODES.has(e.code)) || /Cannot find (package|module)/.test(message);
  // Node quotes the specifier: 'pg' or 'pg/lib/…'; a missing 'pg-pool' inside pg is not 'pg'.
  return notFound && (message.includes(`'${peer}'`) || message.includes(`'${peer}/`));
}

/** The error for a missing optional peer: names the subpath, the package and the install command. */
export function missingPeerError(subpath: string, peer: string, cause?: unknown): ConfigError {
  return new ConfigError('missing_dependency', `${subpath} needs the optional peer dependency \`${peer}\`: npm install ${peer}`, { cause });
}

/**
 * Runs `importer` (a literal `import('pg')`, so bundlers still see the specifier) and turns "not
 * installed" into {@link missingPeerError}; every other failure is rethrown as is.
 */
export async function importOptionalPeer<T>(subpath: string, peer: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    if (isMissingPeer(err, peer)) throw missingPeerError(subpath, peer, err);
    throw err;
  }
}
