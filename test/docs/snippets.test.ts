import { describe, expect, it } from 'vitest';
import { replayOutOfOrder } from '../../examples/snippets/out-of-order.js';

describe('docs/delivery-state.md: the out-of-order example', () => {
  it('emits exactly the transitions and changes the sequence diagram shows', async () => {
    const steps = await replayOutOfOrder();
    expect(steps.map((s) => [s.emitted, s.status, s.flags])).toEqual([
      ['transition', 'pending', []],
      ['transition', 'read', ['sentImplied', 'deliveredImplied']],
      ['change', 'read', ['deliveredImplied']], // sent arrives late: same status, a time refined
      ['change', 'read', []], // delivered arrives: deliveredAt is now observed
      [null, null, []], // Meta's retry of read: a duplicate, nothing emitted
      ['change', 'read', ['failedAfterDelivery']],
      [null, 'read', ['failedAfterDelivery']], // final getState()
    ]);
  });
});
