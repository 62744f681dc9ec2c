import { createTracker, type StateStore, type Tracker, type Transition } from '../../src/index.js';
import { createReconciler, wasenderStatusSource, type ReconcilerOptions } from '../../src/reconcile/index.js';
import type { FakeWasender } from './fake-wasender.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A tracker recording every transition and change it emits. */
export function recordingTracker(store?: StateStore): { tracker: Tracker; emitted: Array<{ kind: 'transition' | 'change'; t: Transition }> } {
  const tracker = createTracker(store === undefined ? {} : { store, closeStore: false });
  const emitted: Array<{ kind: 'transition' | 'change'; t: Transition }> = [];
  tracker.on('transition', (t) => void emitted.push({ kind: 'transition', t }));
  tracker.on('change', (t) => void emitted.push({ kind: 'change', t }));
  return { tracker, emitted };
}

/** Tracks a WASender send an hour ago, with its numeric msgId, and makes the fake API know it. */
export async function trackWasender(tracker: Tracker, fake: FakeWasender | null, msgId: number, status: number | string, keyId = `3EB0${msgId}`): Promise<string> {
  await tracker.track({ provider: 'wasender', messageId: keyId, wasenderMsgId: msgId, recipientId: '+55 11 99999-0002', sentAt: Date.now() - HOUR });
  fake?.messages.set(String(msgId), { keyId, status });
  return keyId;
}

/** A reconciler over the fake API with fast retries. */
export function wasenderReconciler(tracker: Tracker, fake: FakeWasender, extra: Partial<ReconcilerOptions> = {}, source: Partial<Parameters<typeof wasenderStatusSource>[0]> = {}) {
  return createReconciler({
    tracker,
    source: wasenderStatusSource({ apiKey: fake.apiKey, baseUrl: fake.url, minRetryDelayMs: 10, timeoutMs: 400, ...source }),
    olderThan: 60_000,
    ratePerSecond: 1000,
    ...extra,
  });
}
