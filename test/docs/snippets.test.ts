import { describe, expect, it } from 'vitest';
import { replayOutOfOrder } from '../../examples/snippets/out-of-order.js';

describe('docs/delivery-state.md: the out-of-order example', () => {
  it('emits exactly the transitions the sequence diagram shows', async () => {
    const steps = await replayOutOfOrder();
    expect(steps.map((s) => [s.status, s.flags])).toEqual([
      ['pending', []],
      ['read', ['sentImplied', 'deliveredImplied']],
      ['read', ['deliveredImplied']],
      ['read', []],
      [null, []], // Meta's retry of read: a duplicate, nothing emitted
      ['read', ['failedAfterDelivery']],
      ['read', ['failedAfterDelivery']], // final getState()
    ]);
  });
});
