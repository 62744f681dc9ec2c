/**
 * `postgresStore` and `pgliteStore` with their optional peer absent (hidden from module
 * resolution in a child process, exactly as an uninstalled package): a `ConfigError` naming the
 * install command from ready() (which the webhook adapters await before acknowledging anything)
 * and from every operation, never a retryable StorageError; the package is asked for at
 * construction already, so ready() answers at once.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundled } from '../helpers/bundle.js';
import { describeIf, heavyTests, SKIP_REASONS } from '../helpers/services.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HIDE = fileURLToPath(new URL('./peers/hide.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./peers/child.ts', import.meta.url));
// Plain node on a bundle of the child (test/helpers/bundle.ts); pg and PGlite stay external, so the
// loader hook hides them exactly as an uninstalled package.
const CHILD_JS = await bundled(CHILD);

// PGlite's in-memory database takes 7 s to start and migrate alone and 34 s beside the rest of
// `npm test` on 2 cores: the child gets most of its test's time.
function run(kind: 'pg' | 'pglite' | 'pglite-memory', hidden: string, timeout = 60_000): { errors: Array<{ name: string; code: string; status: number; message: string }>; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', HIDE, CHILD_JS, kind], { cwd: ROOT, env: { ...process.env, BLUETICK_HIDE_PEERS: hidden }, encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { errors: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('a missing optional peer', () => {
  it('postgresStore({ connectionString }) without pg: ConfigError "npm install pg" from ready() and every operation; loaded at construction', () => {
    const { errors, stderr } = run('pg', 'pg');
    expect(errors.length).toBe(4);
    for (const e of errors.slice(0, 3)) expect(e).toEqual({ name: 'ConfigError', code: 'missing_dependency', status: 500, message: 'bluetick/postgres needs the optional peer dependency `pg`: npm install pg' });
    expect(stderr.indexOf('[hidden peer requested] pg')).toBeGreaterThanOrEqual(0);
    expect(stderr.indexOf('[hidden peer requested] pg')).toBeLessThan(stderr.indexOf('[ready called]'));
  }, 60_000);

  it('pgliteStore({ dataDir }) without @electric-sql/pglite: ConfigError "npm install @electric-sql/pglite"', () => {
    const { errors } = run('pglite', '@electric-sql/pglite');
    for (const e of errors.slice(0, 3)) expect(e).toMatchObject({ name: 'ConfigError', code: 'missing_dependency', message: expect.stringContaining('npm install @electric-sql/pglite') });
  }, 60_000);

  it('the same child with the peer present fails as an outage instead (the test tells the two apart)', () => {
    const { errors } = run('pg', '');
    for (const e of errors.slice(0, 3)) expect(e).toMatchObject({ name: 'StorageError', code: 'unavailable', status: 503 });
  }, 60_000);
});

describeIf(heavyTests, SKIP_REASONS.pglite, 'pgliteStore() creating its own database', () => {
  it('serves in memory without any argument; close() closes it (operations then reject as closed)', () => {
    const { errors } = run('pglite-memory', '', 110_000);
    expect(errors).toEqual([null, null, null, { name: 'StorageError', code: 'closed', status: 503, message: 'The PostgreSQL store is closed.' }]);
  }, 120_000);
});
