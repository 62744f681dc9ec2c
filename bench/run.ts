/**
 * Runs every benchmark in bench/ one after the other, each in its own process (so one's heap and
 * JIT state never colour another's). `npm run bench` runs them all; `npm run bench -- normalize`
 * runs the ones whose name contains "normalize".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const support = new Set(['run.ts', 'harness.ts', 'payloads.ts']);
const filter = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !support.has(f))
  .filter((f) => filter.length === 0 || filter.some((word) => f.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const args = ['--expose-gc', '--import', 'tsx', join(here, file)];
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
