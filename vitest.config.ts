import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { entries } from './tsup.config.js';
import LongestFirst from './test/helpers/sequencer.js';

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
    // Worker threads, and test files of one worker share its module graph (no fresh import of the
    // sources for every file): on 2 cores `npm run test:unit` 71 s -> 32 s, `npm test` 185-197 s ->
    // 164 s. Test files therefore restore what they change (mocks, timers, env) and bind port 0.
    pool: 'threads',
    // Longest files first, also on a fresh clone (test/helpers/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    // A directory for the bundles of test/helpers/bundle.ts, removed at the end of the run.
    globalSetup: ['./test/helpers/global-setup.ts'],
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // In CI a JSON report is written too, so .ci/run can print the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci-results/vitest.json' }]] : ['default'],
  },
});
