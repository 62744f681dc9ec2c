import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { entries } from './tsup.config.js';

// Examples and docs snippets import 'bluetick' and 'bluetick/<subpath>' as users do; in this
// repository those resolve to the sources (tsconfig.json `paths` says the same to tsc and tsx).
const alias = Object.entries(entries)
  .map(([name, file]) => ({
    find: new RegExp(`^bluetick${name === 'index' ? '' : `/${name}`}$`),
    replacement: new URL(`./${file}`, import.meta.url).pathname,
  }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts'],
    // Most test files wait (on services, child processes, leases that expire), so more files run at
    // once than there are cores: vitest's default (cores - 1) is ONE file at a time on 2 cores.
    // `npm run test:unit` waits mostly on timers (ttl and lease expiry in the conformance suites,
    // the rate limiter), so one more file at a time: 61 s -> 56 s on 2 cores.
    maxWorkers: Math.max(process.env.BLUETICK_SKIP_SERVICES === '1' ? 4 : 3, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // In CI a JSON report is written too, so .ci/run can print the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci-results/vitest.json' }]] : ['default'],
  },
});
