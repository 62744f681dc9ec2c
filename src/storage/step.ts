/**
 * Pieces of the ingest step every store shares: the outbox records of a step, and its checks.
 */
import { ConfigError } from '../errors.js';
import type { OutboxRecord } from './outbox.js';
import type { IngestStep, MergeResult } from './state-store.js';

/**
 * The outbox records of a step, in event order then consumer order: one per claimed event and
 * consumer, with the event's merge before/after for status events. `nextId` names each record.
 *
 * @example
 * ```ts
 * const records = stepRecords(step, claimed, merged, () => String(++seq), Date.now());
 * ```
 */
export function stepRecords(step: IngestStep, claimed: readonly boolean[], merged: readonly MergeResult[], nextId: () => string, now: number): OutboxRecord[] {
  const consumers = step.outbox.consumers;
  if (consumers.length === 0) return [];
  const byEvent = new Map<number, MergeResult>();
  step.merges.forEach((m, i) => {
    if (m.event >= 0) byEvent.set(m.event, merged[i] as MergeResult);
  });
  const out: OutboxRecord[] = [];
  step.events.forEach((event, i) => {
    if (claimed[i] !== true) return;
    const change = byEvent.get(i);
    for (const consumer of consumers) {
      const record: OutboxRecord = { id: nextId(), consumer, event, attempts: 0, appendedAt: now };
      if (change !== undefined) {
        record.before = change.before;
        record.after = change.after;
      }
      out.push(record);
    }
  });
  return out;
}

/**
 * Rejects a malformed step before any store work. The tracker checks every event it is given
 * (src/tracking/input.ts); this guards the shape for callers that use a store directly.
 */
export function checkStep(step: IngestStep): void {
  if (step === null || typeof step !== 'object' || !Array.isArray(step.events) || !Array.isArray(step.merges) || typeof step.outbox !== 'object') {
    throw new ConfigError('invalid_step', 'store.ingest(): give { events, merges, claimTtlMs, outbox }.');
  }
  if (!(step.claimTtlMs > 0)) throw new ConfigError('invalid_step', 'store.ingest(): claimTtlMs must be positive.');
}
