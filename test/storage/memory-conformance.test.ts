import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../../src/storage/adapter.js';
import { memoryStore } from '../../src/storage/memory-store.js';
import { merge } from '../../src/tracking/merge.js';
import type { DeliveryState } from '../../src/tracking/state.js';
import { runStorageAdapterConformance } from '../../src/testing/index.js';

runStorageAdapterConformance(
  { name: 'memoryStore', create: async () => memoryStore(), cleanup: async (store) => store.close() },
  { describe, it, expect, beforeEach, afterEach },
);

// A tiny store must still pass: eviction must never break atomicity or the fold.
runStorageAdapterConformance(
  { name: 'memoryStore (maxEntries 64)', create: async () => memoryStore({ maxEntries: 64 }) },
  { describe, it, expect, beforeEach, afterEach },
);

/**
 * The suite must catch what it claims to: a store that reads, yields, then writes (lost updates)
 * fails the concurrency test, and one whose claims never expire fails the ttl test.
 */
function racyStore(): StorageAdapter {
  const states = new Map<string, DeliveryState>();
  const claims = new Set<string>();
  return {
    async claim(id) {
      if (claims.has(id)) return false;
      claims.add(id);
      return true;
    },
    async merge(key, observation) {
      const before = states.get(key) ?? null;
      await new Promise((r) => setImmediate(r));
      const after = before === null ? observation : merge(before, observation);
      states.set(key, after);
      return { before, after };
    },
    async get(key) {
      return states.get(key) ?? null;
    },
    async close() {},
  };
}

const only =
  (...names: string[]) =>
  (name: string, fn: () => Promise<void>) => {
    if (names.some((n) => name.includes(n))) it.fails(name, fn);
  };

runStorageAdapterConformance(
  { name: 'a racy store (must be caught)', create: async () => racyStore() },
  { describe, it: only('concurrent', 'expires after its ttl'), expect, beforeEach, afterEach },
);
