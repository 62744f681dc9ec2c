import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize } from '../../src/index.js';
import { runStateStoreConformance } from '../../src/testing/index.js';
import { createCustomTracker, mapStore } from '../../examples/custom-storage.js';
import { statusesBody } from './helpers.js';

runStateStoreConformance({ name: 'examples/custom-storage mapStore', create: async () => mapStore(), cleanup: async (s) => s.close() }, { describe, it, expect, beforeEach, afterEach });

describe('examples/custom-storage with a tracker', () => {
  it('tracks a real-shaped webhook and drops its redelivery', async () => {
    const tracker = createCustomTracker();
    const first = await tracker.ingest(normalize(statusesBody));
    const again = await tracker.ingest(normalize(statusesBody));
    expect(first.duplicates).toBe(0);
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(first.received);
    expect((await tracker.getState('wamid.FAILED1'))?.status).toBe('failed');
    expect((await tracker.funnel({ from: 0, to: Date.now() })).total).toBeGreaterThan(0);
    await tracker.close();
  });
});
