/**
 * Bundles the docs samples and the driver once per test run, with esbuild (what tsx runs too),
 * so that each sample's process is plain `node`: a process with tsx spends about a second of CPU
 * loading the sources through its hooks, and there are forty samples.
 *
 * `bluetick` and `bluetick/<subpath>` resolve to the sources (the same map as tsup.config.ts);
 * packages stay external and load from node_modules; the output lives under node_modules/.cache
 * so that those resolve. One chunk holds the library, shared by the driver and the sample, as
 * tsx would share the modules.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { entries } from '../../../tsup.config.js';
import { bundleDir, bundleOptions } from '../../helpers/bundle.js';

export interface SampleBundle {
  /** The bundled driver (test/docs/harness/driver.ts). */
  driver: string;
  /** The bundled module of a sample, by the sample's source path. */
  moduleOf(samplePath: string): string;
  dispose(): void;
}

/**
 * Each source keeps its own `import.meta.url` (not the bundle's): the samples' "run when this is
 * the main module" checks and the helpers that find files next to themselves see what tsx shows.
 */
const keepImportMetaUrl: Plugin = {
  name: 'keep-import-meta-url',
  setup(on) {
    on.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

export async function bundleSamples(root: string, samplePaths: readonly string[]): Promise<SampleBundle> {
  const outdir = bundleDir('bluetick-samples-');
  const alias = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name === 'index' ? 'bluetick' : `bluetick/${name}`, join(root, file)]));
  await build({
    ...bundleOptions,
    entryPoints: [...samplePaths, join(root, 'test/docs/harness/driver.ts')],
    outbase: root,
    outdir,
    alias,
    plugins: [keepImportMetaUrl],
  });
  const out = (path: string) => join(outdir, relative(root, path)).replace(/\.ts$/, '.js');
  return {
    driver: out(join(root, 'test/docs/harness/driver.ts')),
    moduleOf: out,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
