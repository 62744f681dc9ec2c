/**
 * A deliberately broken store for the harness's self-test: it reads the "before" state with a
 * separate query ahead of the (atomic) merge, so concurrent processes see stale befores and
 * emit transitions twice. The harness must report it.
 */
import type { MergeResult, StorageAdapter } from '../../../../src/storage/adapter.js';
import { merge } from '../../../../src/tracking/merge.js';
import { createStore as createPostgres } from './postgres.js';

export async function createStore(): Promise<StorageAdapter> {
  const inner = await createPostgres();
  const racyMerge: StorageAdapter['merge'] = async (key, observation) => {
    const before = await inner.get(key);
    await new Promise((r) => setTimeout(r, 1));
    await inner.merge(key, observation);
    return { before, after: before === null ? observation : merge(before, observation) };
  };
  return {
    claim: (id, ttl) => inner.claim(id, ttl),
    merge: racyMerge,
    mergeMany: async (items) => {
      const out: MergeResult[] = [];
      for (const it of items) out.push(await racyMerge(it.key, it.observation));
      return out;
    },
    get: (key) => inner.get(key),
    close: () => inner.close(),
  };
}
