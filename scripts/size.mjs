// Size budgets of the core entry (`bluetick`, dist/index.js): bundled and minified with esbuild
// (as an application bundler would), gzipped, and measured twice:
//   - own code: zod, eventemitter3 and p-retry left external (what bluetick's own code weighs);
//   - with its runtime dependencies bundled (what a Cloudflare Worker or an edge bundle carries).
// Each has a budget; over either, the script fails and lists the biggest inputs of that bundle by
// source module (src/…, node_modules/…), so a regression names its cause.
// Run after `npm run build`: node scripts/size.mjs [--json]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// bluetick's own code, minified + gzipped. Set at 31 604 B + ~15%; issue 15's features took it
// to 37 350 B, back to 35 394 B once callbackSink and the redactor left for their subpaths.
// Raised to 41 500 B (39 034 B + ~6%) on 2026-12-01 for four features of the core path: one
// verification loop shared by Node and WebCrypto with the byte-level escaped form (+0.9 KB), the
// depth bound on free-form values (+0.4 KB), the fidelity of the Cloud mapping (Coexistence
// echoes, every key of a change, item times: +0.9 KB) and the OpenTelemetry hooks (+1.3 KB).
// Raise a budget deliberately, saying why in the commit, when a feature is worth the bytes.
export const BUDGET_OWN_GZIP_BYTES = 41_500;
// The same entry with zod (eventSchema, built with zod/mini), eventemitter3 and p-retry bundled:
// 45 865 B when set, plus ~12% (it was 132 726 B while eventSchema pulled zod's full namespace);
// raised with the own-code budget above to 54 000 B (49 555 B + ~9%).
export const BUDGET_WITH_DEPS_GZIP_BYTES = 54_000;

const RUNTIME_DEPS = ['zod', 'eventemitter3', 'p-retry'];
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = `${root}dist/index.js`;
const source = `${root}src/index.ts`;

/** esbuild options of one measurement; `external` lists the packages left out. */
function options(entryPoint, external) {
  return {
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    outfile: 'size-check.js', // never written (write: false); names the output
    metafile: true,
    logLevel: 'silent',
    // A package and its subpaths (zod/mini, …).
    external: external.flatMap((name) => [name, `${name}/*`]),
  };
}

/** Bundles the built core entry; minified and gzipped byte counts. */
async function measure(external) {
  const result = await build(options(entry, external));
  const output = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!output) throw new Error('esbuild produced no JavaScript output');
  return { minified: output.contents.byteLength, gzip: gzipSync(output.contents, { level: 9 }).byteLength };
}

/**
 * The biggest inputs by source module. dist/ is made of shared chunks that name nothing, so this
 * bundles src/index.ts the same way (a diagnostic: its total is within a few hundred bytes of dist's).
 */
async function biggestInputs(external, count = 12) {
  const result = await build(options(source, external));
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  return inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, count);
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const bytes = (n) => `${n.toLocaleString('en-US')} B`;

async function main() {
  if (!existsSync(entry)) {
    console.error('size: dist/index.js is missing: run `npm run build` first');
    process.exit(1);
  }
  const checks = [
    { name: 'own', what: "bluetick's own code in the core entry", label: 'own code (zod, eventemitter3, p-retry external)', external: RUNTIME_DEPS, budget: BUDGET_OWN_GZIP_BYTES },
    { name: 'withDeps', what: 'the core entry with its runtime dependencies', label: 'with runtime dependencies bundled (Workers)', external: [], budget: BUDGET_WITH_DEPS_GZIP_BYTES },
  ];
  for (const check of checks) Object.assign(check, await measure(check.external));
  if (process.argv.includes('--json')) {
    const json = Object.fromEntries(checks.map((c) => [c.name, { minified: c.minified, gzip: c.gzip, budget: c.budget }]));
    console.log(JSON.stringify(json));
  } else {
    console.log('bluetick core (dist/index.js), esbuild --minify, gzip -9:');
    for (const c of checks) {
      const headroom = (((c.budget - c.gzip) / c.budget) * 100).toFixed(1);
      console.log(`  ${c.label.padEnd(48)} ${kib(c.minified).padStart(10)} min  ${bytes(c.gzip).padStart(9)} gzip  (budget ${bytes(c.budget)}, ${headroom}% left)`);
    }
  }
  const over = checks.filter((c) => c.gzip > c.budget);
  for (const c of over) {
    console.error(`size: ${c.what} is ${bytes(c.gzip)} gzipped, over its ${bytes(c.budget)} budget (scripts/size.mjs). Biggest inputs (minified bytes in the bundle):`);
    for (const [file, info] of await biggestInputs(c.external)) console.error(`  ${String(info.bytesInOutput).padStart(8)}  ${file}`);
  }
  if (over.length > 0) process.exit(1);
}

await main();
