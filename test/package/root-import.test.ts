/**
 * The root entry (`bluetick`) must load where there is no Node: `normalize` from the root in a
 * Worker. The sources are bundled as tsup bundles them (esbuild, ESM with splitting and CommonJS,
 * packages external), so the test needs no `npm run build`; the static import graph of the entry
 * (relative imports followed) must name no Node builtin, and under Node the bundle must still
 * verify signatures, synchronously.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPECIFIER = /(?:^|[\s;}])(?:import|export)\s*(?:[\w*{}\s,$]*?\sfrom\s*)?["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** Every file reachable from `entry` through relative imports, and the bare specifiers they name. */
function staticGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files: [...files], bare: [...bare] };
}

const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0] as string);

let outdir = '';
beforeAll(async () => {
  // Under node_modules so that the bundles' bare imports (zod, …) resolve when they run.
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'bluetick-root-import-'));
  const common = { entryPoints: { index: join(root, entries.index as string) }, bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' } as const;
  await build({ ...common, outdir: join(outdir, 'esm'), format: 'esm', splitting: true, outExtension: { '.js': '.js' } });
  await build({ ...common, outdir: join(outdir, 'cjs'), format: 'cjs', outExtension: { '.js': '.cjs' } });
}, 60_000);
afterAll(() => {
  if (outdir !== '') rmSync(outdir, { recursive: true, force: true });
});

const runNode = (code: string, type: 'module' | 'commonjs') =>
  execFileSync(process.execPath, ['--input-type', type, '-e', code], { cwd: outdir, encoding: 'utf8' }).trim();

const script = (load: string) => `
${load}
const body = '{"object":"whatsapp_business_account","entry":[]}';
const sig = b.signMetaPayload(body, 's3cret');
console.log(JSON.stringify([b.verifyMetaSignature(body, sig, 's3cret'), b.verifyMetaSignature(body, sig, 'other').ok, b.normalize(body).events.length]));`;

describe('the root entry', () => {
  it.each(['esm/index.js', 'cjs/index.cjs'])('%s imports no Node builtin, statically', (file) => {
    const graph = staticGraph(join(outdir, file));
    expect(graph.files.length).toBeGreaterThan(0);
    expect(graph.bare.filter(isNodeBuiltin)).toEqual([]);
    // The walk does read the imports: the runtime dependencies show up.
    expect(graph.bare).toEqual(expect.arrayContaining(['zod/mini', 'eventemitter3']));
  });

  it('still verifies signatures synchronously under Node, from both builds', () => {
    const expected = JSON.stringify([{ ok: true, algorithm: 'sha256', secretIndex: 0, escaped: false }, false, 0]);
    expect(runNode(script(`import * as b from './esm/index.js';`), 'module')).toBe(expected);
    expect(runNode(script(`const b = require('./cjs/index.cjs');`), 'commonjs')).toBe(expected);
  });

  it('loads and normalizes where node:crypto cannot be resolved, and says what to use for verifying', () => {
    const out = runNode(
      `delete process.getBuiltinModule;
const b = await import('./esm/index.js');
let error;
try { b.verifyMetaSignature('{}', 'sha256=' + '0'.repeat(64), 's'); } catch (e) { error = e; }
console.log(JSON.stringify([b.normalize('{"object":"whatsapp_business_account","entry":[]}').events.length, error?.code, /bluetick\\/web/.test(error?.message)]));`,
      'module',
    );
    expect(out).toBe(JSON.stringify([0, 'node_crypto_unavailable', true]));
  });
});

describe('staticGraph', () => {
  it('finds builtins in the forms bundlers emit', () => {
    const dir = mkdtempSync(join(root, 'node_modules/.cache/bluetick-graph-'));
    try {
      const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
      write('a.js', `import { x } from './b.js';\nimport 'zod';\n`);
      write('b.js', `import { createHmac } from 'crypto';\nexport const x = require("node:fs");\n`);
      expect(staticGraph(join(dir, 'a.js')).bare.filter(isNodeBuiltin).sort()).toEqual(['crypto', 'node:fs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
