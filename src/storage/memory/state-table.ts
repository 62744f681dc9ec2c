/**
 * Delivery states in two generations of `Map`s keyed by message id (the value is the state, or an
 * array of states when a message has several recipients or group participants). Keying by the
 * message id string, which the state already references, avoids storing a second ~100-byte
 * tracking-key string per message.
 *
 * Expiry without per-entry timestamps: every `ttlMs` the young generation becomes the old one and
 * the old one is dropped; a state touched again moves back to the young one. So an untouched
 * state lives at least `ttlMs` and at most `2 × ttlMs`. Past `maxEntries` the oldest-inserted
 * states of the old generation go first, then of the young one (counted).
 */
import type { DeliveryState } from '../../tracking/state.js';

type Slot = DeliveryState | DeliveryState[];

/** Counters of a {@link StateTable}. */
export interface StateStats {
  states: number;
  evictedStates: number;
  expiredStates: number;
}

function matches(s: DeliveryState, provider: string, accountId: string | null, party: string | null): boolean {
  return s.provider === provider && s.accountId === accountId && (s.participantId ?? s.recipientId) === party;
}

function slotSize(slot: Slot): number {
  return Array.isArray(slot) ? slot.length : 1;
}

/** The state half of the memory store. */
export interface StateTable {
  /** The state of (messageId, provider, accountId, party = participantId ?? recipientId), or null. */
  get(messageId: string, provider: string, accountId: string | null, party: string | null, now: number): DeliveryState | null;
  /** Stores `next`, replacing the state of the same identity. */
  put(next: DeliveryState, now: number): void;
  byMessage(messageId: string, now: number): DeliveryState[];
  forEach(fn: (s: DeliveryState) => boolean | void): void;
  stats(): StateStats;
  clear(): void;
}

/** Creates a state table bounded to `maxEntries` states, expiring untouched ones after `ttlMs`. */
export function createStateTable(maxEntries: number, ttlMs: number, start: number): StateTable {
  let young = new Map<string, Slot>();
  let old = new Map<string, Slot>();
  let youngSince = start;
  let size = 0;
  let evicted = 0;
  let expired = 0;

  function rotate(now: number): void {
    if (now - youngSince < ttlMs) return;
    for (const slot of old.values()) {
      const n = slotSize(slot);
      expired += n;
      size -= n;
    }
    // Two rotations in one call when idle for over 2 × ttl: everything has expired.
    if (now - youngSince >= 2 * ttlMs) {
      for (const slot of young.values()) {
        const n = slotSize(slot);
        expired += n;
        size -= n;
      }
      young = new Map();
      old = new Map();
    } else {
      old = young;
      young = new Map();
    }
    youngSince = now;
  }

  /** The slot of a message, promoted to the young generation. */
  function slotOf(messageId: string, now: number): Slot | undefined {
    rotate(now);
    const y = young.get(messageId);
    if (y !== undefined) return y;
    const o = old.get(messageId);
    if (o !== undefined) {
      old.delete(messageId);
      young.set(messageId, o);
    }
    return o;
  }

  function evictOne(): void {
    const gen = old.size > 0 ? old : young;
    const first = gen.entries().next();
    if (first.done === true) return;
    const [messageId, slot] = first.value;
    if (Array.isArray(slot) && slot.length > 1) {
      slot.shift();
    } else {
      gen.delete(messageId);
    }
    size--;
    evicted++;
  }

  return {
    get(messageId, provider, accountId, party, now) {
      const slot = slotOf(messageId, now);
      if (slot === undefined) return null;
      if (!Array.isArray(slot)) return matches(slot, provider, accountId, party) ? slot : null;
      for (const s of slot) if (matches(s, provider, accountId, party)) return s;
      return null;
    },
    put(next, now) {
      const messageId = next.messageId;
      const slot = slotOf(messageId, now);
      const { provider, accountId } = next;
      const party = next.participantId ?? next.recipientId;
      if (slot === undefined) {
        young.set(messageId, next);
        size++;
      } else if (!Array.isArray(slot)) {
        if (matches(slot, provider, accountId, party)) young.set(messageId, next);
        else {
          young.set(messageId, [slot, next]);
          size++;
        }
      } else {
        const i = slot.findIndex((s) => matches(s, provider, accountId, party));
        if (i >= 0) slot[i] = next;
        else {
          slot.push(next);
          size++;
        }
      }
      while (size > maxEntries) evictOne();
    },
    byMessage(messageId, now) {
      const slot = slotOf(messageId, now);
      if (slot === undefined) return [];
      return Array.isArray(slot) ? slot.slice() : [slot];
    },
    forEach(fn) {
      for (const gen of [young, old]) {
        for (const slot of gen.values()) {
          if (Array.isArray(slot)) {
            for (const s of slot) if (fn(s) === false) return;
          } else if (fn(slot) === false) return;
        }
      }
    },
    stats: () => ({ states: size, evictedStates: evicted, expiredStates: expired }),
    clear() {
      young = new Map();
      old = new Map();
      size = 0;
    },
  };
}
