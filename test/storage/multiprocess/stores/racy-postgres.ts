/**
 * A deliberately broken store for the harness's self-test: its ingest reads each "before" with a
 * separate query ahead of the (atomic) step, so concurrent processes see stale befores and emit
 * transitions twice or create a state twice. The harness must report it.
 */
import { merge } from '../../../../src/state/merge.js';
import type { DeliveryState } from '../../../../src/state/state.js';
import type { MergeResult, StateStore } from '../../../../src/storage/state-store.js';
import { createStore as createPostgres } from './postgres.js';

export async function createStore(): Promise<StateStore> {
  const inner = await createPostgres();
  return {
    ...inner,
    outbox: inner.outbox,
    async ingest(step) {
      const seen = new Map<string, DeliveryState | null>();
      for (const m of step.merges) if (!seen.has(m.key)) seen.set(m.key, await inner.get(m.key));
      await new Promise((r) => setTimeout(r, 1));
      const result = await inner.ingest(step);
      const merged: MergeResult[] = step.merges.map((m) => {
        const before = seen.get(m.key) ?? null;
        const after = before === null ? m.observation : merge(before, m.observation);
        seen.set(m.key, after);
        return { before, after };
      });
      return { ...result, merged };
    },
  };
}
