// Writes test/durations.json: each test file's duration (ms) from vitest's cache of the last
// `npm test` on this machine, for test/helpers/sequencer.ts to start the longest files first on a
// fresh clone (CI). Run after a full `npm test`: npm run test:durations
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'node_modules/.vite/vitest';
const caches = readdirSync(dir).map((d) => join(dir, d, 'results.json'));
const out = {};
for (const file of caches) {
  for (const [key, r] of JSON.parse(readFileSync(file, 'utf8')).results) out[key.slice(key.indexOf(':') + 1)] = Math.round(r.duration);
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
writeFileSync('test/durations.json', `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files`);
