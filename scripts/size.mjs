// Size budget of the core entry (`bluetick`, dist/index.js): bundled and minified with esbuild
// (as an application bundler would), gzipped, once WITH its runtime dependencies (zod,
// eventemitter3, p-retry: what a browser/edge bundle really carries) and once WITHOUT them (what
// bluetick's own code weighs). Fails when bluetick's own gzipped size exceeds the budget, and
// then lists the biggest inputs, so a regression names its cause.
// Run after `npm run build`: node scripts/size.mjs [--json]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// bluetick's own code, minified + gzipped: 31 604 B when the budget was set (about 15% headroom).
// Raise it deliberately, saying why in the commit, when a feature is worth the bytes.
export const BUDGET_OWN_GZIP_BYTES = 36_500;

const RUNTIME_DEPS = ['zod', 'eventemitter3', 'p-retry'];
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Bundles the core entry; `external` lists the packages left out. */
async function measure(external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    outfile: 'size-check.js', // never written (write: false); names the output
    metafile: true,
    logLevel: 'silent',
    // A package and its subpaths (zod/v4, …).
    external: external.flatMap((name) => [name, `${name}/*`]),
  });
  const output = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!output) throw new Error('esbuild produced no JavaScript output');
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  return { minified: output.contents.byteLength, gzip: gzipSync(output.contents, { level: 9 }).byteLength, inputs };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  if (!existsSync(entry)) {
    console.error('size: dist/index.js is missing: run `npm run build` first');
    process.exit(1);
  }
  const own = await measure(RUNTIME_DEPS);
  const all = await measure([]);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ own: { minified: own.minified, gzip: own.gzip }, withDeps: { minified: all.minified, gzip: all.gzip }, budget: BUDGET_OWN_GZIP_BYTES }));
  } else {
    console.log(`bluetick core (dist/index.js), minified + gzip:`);
    console.log(`  own code (zod, eventemitter3, p-retry external): ${kib(own.minified)} min, ${kib(own.gzip)} gzip (budget ${kib(BUDGET_OWN_GZIP_BYTES)})`);
    console.log(`  with runtime dependencies bundled:                ${kib(all.minified)} min, ${kib(all.gzip)} gzip`);
  }
  if (own.gzip > BUDGET_OWN_GZIP_BYTES) {
    console.error(`size: bluetick's own code is ${own.gzip} B gzipped, over the ${BUDGET_OWN_GZIP_BYTES} B budget (scripts/size.mjs). Biggest inputs (minified bytes in the bundle):`);
    const biggest = own.inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 10);
    for (const [file, info] of biggest) console.error(`  ${String(info.bytesInOutput).padStart(8)}  ${file}`);
    process.exit(1);
  }
}

await main();
