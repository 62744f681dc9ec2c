/**
 * A test's child process as plain `node` rather than `node --import tsx`: the entry is bundled
 * once per test worker with esbuild (what tsx runs too, so the same transform), packages left
 * external so they load from node_modules as they would under tsx. A process started through tsx
 * spends about 1.2 s of CPU loading the sources through its hooks, and `npm test` starts a few
 * dozen of them (receivers killed and restarted, the CLI, peers hidden from resolution).
 *
 * The bundles live under node_modules/.cache (so their bare imports resolve), one directory per
 * bundle inside one directory per run (test/helpers/global-setup.ts).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The esbuild settings every test bundle shares (test/docs/harness/bundle.ts adds its own). */
export const bundleOptions: BuildOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
};

/**
 * A fresh directory for bundles: inside this `vitest run`'s own directory, which its global setup
 * removes at the end (test/helpers/global-setup.ts), else under node_modules/.cache.
 */
export function bundleDir(prefix: string): string {
  const parent = process.env.BLUETICK_TEST_BUNDLES ?? join(root, 'node_modules/.cache');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, prefix));
}

const built = new Map<string, Promise<string[]>>();

/**
 * The paths of `entries` (.ts files) bundled together, each into an ESM file to run or import with
 * plain `node`; modules they share are shared chunks, one instance at run time as under tsx.
 *
 * @example
 * ```ts
 * const [worker, store] = await bundledTogether([WORKER, STORE_MODULE]);
 * ```
 */
export function bundledTogether(entries: readonly string[]): Promise<string[]> {
  const key = entries.join('\n');
  let out = built.get(key);
  if (out === undefined) {
    out = (async () => {
      const outdir = bundleDir('bluetick-test-');
      await build({ ...bundleOptions, entryPoints: [...entries], outbase: root, outdir });
      return entries.map((entry) => join(outdir, relative(root, entry)).replace(/\.ts$/, '.js'));
    })();
    built.set(key, out);
  }
  return out;
}

/**
 * The path of `entry` (a .ts file) bundled into one ESM file to run with plain `node`.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [await bundled(CHILD), ...args]);
 * ```
 */
export async function bundled(entry: string): Promise<string> {
  return (await bundledTogether([entry]))[0] as string;
}
