import { describe, expect, it } from 'vitest';
import type { IngestResult, IngestStep, StateStore } from '../../src/storage/state-store.js';
import { createGroupCommitter, type GroupCommitOptions, type StepPart } from '../../src/tracking/group-commit.js';
import { messageEvent } from './make-event.js';

/** A store whose steps stay open until the test ends them, in order. */
function heldStore() {
  const steps: Array<{ step: IngestStep; end: () => void }> = [];
  const store = {
    ingest: (step: IngestStep) =>
      new Promise<IngestResult>((resolve) => {
        steps.push({ step, end: () => resolve({ claimed: step.events.map(() => true), merged: [], records: [] }) });
      }),
  } as unknown as StateStore;
  return { store, steps };
}

let n = 0;
const part = (events: number): StepPart => ({ events: Array.from({ length: events }, () => messageEvent(`m${++n}`)), merges: [], interactions: [], consumers: [] });
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function twoSteps(options: GroupCommitOptions, second: StepPart[]): Promise<number[]> {
  const { store, steps } = heldStore();
  const committer = createGroupCommitter(store, { claimTtlMs: 60_000, leaseMs: 1_000 }, { concurrency: 2, ...options });
  const done = [committer.submit(part(1))];
  await tick();
  for (const p of second) done.push(committer.submit(p));
  await tick();
  const sizes = steps.map((s) => s.step.events.length); // the steps started while the first runs
  // End the steps in order, including those that start as earlier ones end.
  for (let next = steps.shift(); next !== undefined; next = steps.shift()) {
    next.end();
    await tick();
  }
  await Promise.all(done);
  await committer.idle();
  return sizes;
}

describe('group commit: a second step overlaps the first only when enough waits (overlapAt)', () => {
  it('small parts wait for the running step and then go as ONE step', async () => {
    const { store, steps } = heldStore();
    const committer = createGroupCommitter(store, { claimTtlMs: 60_000, leaseMs: 1_000 }, { concurrency: 2, overlapAt: 10 });
    const first = committer.submit(part(1));
    await tick();
    const rest = Array.from({ length: 5 }, () => committer.submit(part(1)));
    await tick();
    expect(steps.map((s) => s.step.events.length)).toEqual([1]); // 5 items wait: below overlapAt
    steps[0]?.end();
    await first;
    await tick();
    expect(steps.map((s) => s.step.events.length)).toEqual([1, 5]); // then together, in one step
    steps[1]?.end();
    expect((await Promise.all(rest)).every((r) => r.claimed.length === 1 && r.claimed[0] === true)).toBe(true);
  });

  it('a step starts beside the running one once overlapAt items wait', async () => {
    expect(await twoSteps({ overlapAt: 10 }, [part(4), part(6)])).toEqual([1, 10]);
    expect(await twoSteps({ overlapAt: 10 }, [part(4), part(5)])).toEqual([1]);
  });

  it('overlapAt 1 overlaps as soon as anything waits; concurrency still caps the steps', async () => {
    expect(await twoSteps({ overlapAt: 1 }, [part(1)])).toEqual([1, 1]);
    expect(await twoSteps({ overlapAt: 1, concurrency: 1 }, [part(50)])).toEqual([1]);
  });

  it('the default lets one 50-status webhook overlap (100 items: events and merges) but not a single status', async () => {
    expect(await twoSteps({}, [part(99)])).toEqual([1]);
    expect(await twoSteps({}, [part(100)])).toEqual([1, 100]);
  });
});
