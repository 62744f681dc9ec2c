import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/storage/memory-store.js';
import type { StateStore } from '../../src/storage/state-store.js';
import { merge } from '../../src/state/merge.js';
import { runAnalyticsStoreConformance, runStateStoreConformance } from '../../src/testing/index.js';

const runner = { describe, it, expect, beforeEach, afterEach };

runStateStoreConformance({ name: 'memoryStore', create: async () => memoryStore(), cleanup: async (store) => store.close() }, runner);
runAnalyticsStoreConformance({ name: 'memoryStore', create: async () => memoryStore(), cleanup: async (store) => store.close() }, runner);

// A tiny store must still pass: eviction must never break atomicity or the fold.
runStateStoreConformance({ name: 'memoryStore (maxEntries 64)', create: async () => memoryStore({ maxEntries: 64 }) }, runner);

/**
 * The suite must catch what it claims to: a store that reads, yields, then writes (lost updates)
 * fails the concurrency test, and one whose claims never expire fails the ttl test.
 */
function racyStore(): StateStore {
  const inner = memoryStore();
  const states = new Map<string, ReturnType<typeof merge>>();
  const claims = new Set<string>();
  return {
    ...inner,
    async ingest(step) {
      const claimed = step.events.map((e) => (claims.has(e.id) ? false : (claims.add(e.id), true)));
      const merged = [];
      for (const m of step.merges) {
        const before = states.get(m.key) ?? null;
        await new Promise((r) => setImmediate(r));
        const after = before === null ? m.observation : merge(before, m.observation);
        states.set(m.key, after);
        merged.push({ before, after });
      }
      return { claimed, merged, records: [] };
    },
    async get(key) {
      return states.get(key) ?? null;
    },
  };
}

const only =
  (...names: string[]) =>
  (name: string, fn: () => Promise<void>) => {
    if (names.some((n) => name.includes(n))) it.fails(name, fn);
  };

runStateStoreConformance({ name: 'a racy store (must be caught)', create: async () => racyStore() }, { ...runner, it: only('concurrent shuffled', 'expires after its ttl') });
