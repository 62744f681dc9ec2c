import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One directory per `vitest run` for the bundles of test/helpers/bundle.ts, removed when the run
 * ends: vitest ends its worker threads without an `exit` event, so a worker cannot clean up after
 * itself. Workers inherit the environment variable when they start.
 */
export default function setup(): () => void {
  const cache = join(fileURLToPath(new URL('../../', import.meta.url)), 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'bluetick-test-run-'));
  process.env.BLUETICK_TEST_BUNDLES = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
