/**
 * docs/storage-adapters.md: running the conformance suites against your store.
 *
 * @sample compile-only it registers tests: a test runner runs it (test/storage/memory-conformance.test.ts runs the same suites)
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { runStateStoreConformance, runAnalyticsStoreConformance } from 'bluetick/testing';
import { myStore } from './my-store.js';

const runner = { describe, it, expect, beforeEach, afterEach };
runStateStoreConformance({ name: 'my store', create: async () => myStore(process.env.DATABASE_URL), cleanup: (s) => s.close() }, runner);
// and, if it keeps analytics:
runAnalyticsStoreConformance({ name: 'my store', create: async () => myStore(process.env.DATABASE_URL), cleanup: (s) => s.close() }, runner);
