/**
 * Deterministic observation sets for the conformance suite: several keys (1:1 and group
 * participants), every status, errors, pricing, equal timestamps, duplicates.
 */
import type { DeliveryStatus, StatusEvent } from '../event/types.js';
import { trackingKey } from '../tracking/key.js';
import { merge } from '../tracking/merge.js';
import { observe } from '../tracking/observe.js';
import type { DeliveryState } from '../tracking/state.js';
import type { MergeItem } from '../storage/adapter.js';

/** A seeded pseudo-random generator (mulberry32), so failures reproduce. */
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

/** Fisher–Yates shuffle with a given generator. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const STATUSES: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown'];

/** One status observation as a store receives it. */
export function observation(
  messageId: string,
  status: DeliveryStatus,
  atSeconds: number,
  extra: Partial<StatusEvent> = {},
): MergeItem {
  const iso = new Date(atSeconds * 1000).toISOString();
  const event: StatusEvent = {
    schemaVersion: 1,
    id: `${messageId}:${status}:${atSeconds}`,
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
  return { key: trackingKey(obs), observation: obs };
}

/** A varied observation set over a few keys of one namespace (`prefix` keeps runs apart). */
export function observationSet(prefix: string, random: () => number, count: number): MergeItem[] {
  const out: MergeItem[] = [];
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
    out.push(observation(msg, status, at, extra));
  }
  return out;
}

/** The sequential fold of items, per key: what every store must converge to. */
export function foldItems(items: readonly MergeItem[]): Map<string, DeliveryState> {
  const out = new Map<string, DeliveryState>();
  for (const { key, observation: obs } of items) {
    const prev = out.get(key);
    out.set(key, prev === undefined ? obs : merge(prev, obs));
  }
  return out;
}
