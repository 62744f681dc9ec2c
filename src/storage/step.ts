/**
 * Pieces of the ingest step every store shares: the outbox records of a step, and its checks.
 */
import { ConfigError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';
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
 * Rejects a malformed step before any store work: every event needs a non-empty string id, every
 * merge a key, an observation and an event index within the step.
 */
export function checkStep(step: IngestStep): void {
  if (step === null || typeof step !== 'object' || !Array.isArray(step.events) || !Array.isArray(step.merges)) {
    throw new ConfigError('invalid_step', 'store.ingest(): give { events, merges, claimTtlMs, outbox }.');
  }
  if (!(step.claimTtlMs > 0)) throw new ConfigError('invalid_step', 'store.ingest(): claimTtlMs must be positive.');
  step.events.forEach((e: CanonicalEvent, i) => {
    if (e === null || typeof e !== 'object' || typeof e.id !== 'string' || e.id === '') {
      throw new ConfigError('invalid_step', `store.ingest(): event ${i} has no id: pass canonical events (normalize() output).`);
    }
  });
  for (const m of step.merges) {
    if (typeof m.key !== 'string' || m.observation === null || typeof m.observation !== 'object' || !(m.event < step.events.length)) {
      throw new ConfigError('invalid_step', 'store.ingest(): every merge needs { key, observation, event }.');
    }
  }
}
