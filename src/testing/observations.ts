/**
 * Deterministic status events, observations and ingest steps for the conformance suites: several
 * states (one-to-one and group participants), every status, errors, pricing, equal timestamps,
 * duplicates.
 */
import type { CanonicalEvent, DeliveryStatus, StatusEvent } from '../event/types.js';
import { stateKey } from '../state/key.js';
import { merge } from '../state/merge.js';
import { observe } from '../state/observe.js';
import type { DeliveryState } from '../state/state.js';
import type { IngestStep, MergeItem } from '../storage/state-store.js';

/**
 * A seeded pseudo-random generator (mulberry32), so failures reproduce.
 *
 * @example
 * ```ts
 * const random = seeded(42); random(); // 0 ≤ x < 1, the same sequence every run
 * ```
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle with a given generator.
 *
 * @example
 * ```ts
 * shuffle([1, 2, 3], seeded(1)); // a permutation, the same for the same seed
 * ```
 */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const STATUSES: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown'];

/** A status event with its observation and state key: one item of an ingest step. */
export interface StepItem {
  event: StatusEvent;
  key: string;
  observation: DeliveryState;
}

/**
 * One status observation as a store receives it (the event, its observation and key).
 *
 * @example
 * ```ts
 * const item = observation('wamid.X', 'read', 1_700_000_000, { participantId: 'p1' });
 * ```
 */
export function observation(messageId: string, status: DeliveryStatus, atSeconds: number, extra: Partial<StatusEvent> = {}): StepItem {
  const iso = new Date(atSeconds * 1000).toISOString();
  const event: StatusEvent = {
    schemaVersion: 1,
    id: `${messageId}:${status}:${extra.participantId ?? ''}:${atSeconds}`,
    kind: 'status',
    provider: 'cloud',
    accountId: 'conformance',
    phoneNumberId: null,
    occurredAt: iso,
    receivedAt: iso,
    messageId,
    recipientId: '15550001111',
    status,
    providerStatus: status === 'unknown' ? 'in_orbit' : status,
    errors: [],
    ...extra,
  };
  const obs = observe(event);
  return { event, key: stateKey(obs), observation: obs };
}

/**
 * A varied observation set over a few states of one namespace (`prefix` keeps runs apart).
 *
 * @example
 * ```ts
 * const items = observationSet('run-1', seeded(7), 100);
 * ```
 */
export function observationSet(prefix: string, random: () => number, count: number): StepItem[] {
  const out: StepItem[] = [];
  for (let i = 0; i < count; i++) {
    const msg = `${prefix}-m${Math.floor(random() * 3)}`;
    const status = STATUSES[Math.floor(random() * STATUSES.length)] as DeliveryStatus;
    const at = 1_700_000_000 + Math.floor(random() * 4);
    const extra: Partial<StatusEvent> = {};
    if (random() < 0.4) extra.participantId = `p${Math.floor(random() * 2)}`;
    if (status === 'failed' || random() < 0.1) extra.errors = [{ code: String(131000 + Math.floor(random() * 3)), class: 'unknown', title: random() < 0.5 ? 'a' : 'b' }];
    if (random() < 0.3) extra.pricing = { model: random() < 0.5 ? 'CBP' : 'PMP', category: 'utility', billable: random() < 0.5 };
    if (random() < 0.2) extra.conversation = { id: `c${Math.floor(random() * 2)}`, origin: 'utility' };
    if (random() < 0.1) extra.bizOpaqueCallbackData = `biz${Math.floor(random() * 2)}`;
    if (random() < 0.1) extra.occurredAtEstimated = true;
    if (random() < 0.2) extra.accountId = `acct${Math.floor(random() * 2)}`;
    out.push(observation(msg, status, at, extra));
  }
  return out;
}

/**
 * An ingest step of status items (each its event and its merge) plus other events.
 *
 * @example
 * ```ts
 * await store.ingest(stepOf([observation('wamid.X', 'sent', 1)], { consumers: ['sink'] }));
 * ```
 */
export function stepOf(items: readonly StepItem[], options: { others?: readonly CanonicalEvent[]; consumers?: readonly string[]; leaseMs?: number; claimTtlMs?: number } = {}): IngestStep {
  const events: CanonicalEvent[] = items.map((it) => it.event);
  const merges: MergeItem[] = items.map((it, i) => ({ key: it.key, observation: it.observation, event: i }));
  events.push(...(options.others ?? []));
  return { events, merges, claimTtlMs: options.claimTtlMs ?? 60_000, outbox: { consumers: options.consumers ?? [], leaseMs: options.leaseMs ?? 60_000 } };
}

/**
 * The sequential fold of items, per state key: what every store must converge to.
 *
 * @example
 * ```ts
 * const expected = foldItems(items); // Map<key, DeliveryState>
 * ```
 */
export function foldItems(items: readonly { key: string; observation: DeliveryState }[]): Map<string, DeliveryState> {
  const out = new Map<string, DeliveryState>();
  for (const { key, observation: obs } of items) {
    const prev = out.get(key);
    out.set(key, prev === undefined ? obs : merge(prev, obs));
  }
  return out;
}
