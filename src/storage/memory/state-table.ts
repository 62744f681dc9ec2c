/**
 * Delivery states of the memory store, keyed by message id: a message's slot holds its state, or
 * an array of states when it has group participants (one state per participant, plus the message
 * itself). Keying by the message id string, which every state already references, avoids a
 * second key string per state and makes `findByMessage` one lookup.
 *
 * Least-recently-touched order is an intrusive doubly-linked list through the entries, so a touch
 * and an eviction are O(1) whatever has been deleted before (taking the first entry of a `Map`
 * after many deletions walks the deleted slots, which made a full store quadratic). An untouched
 * message expires after `ttlMs`; past `maxEntries` states the least recently touched messages go
 * first (counted).
 */
import type { DeliveryState } from '../../state/state.js';

type Slot = DeliveryState | DeliveryState[];

interface Entry {
  messageId: string;
  slot: Slot;
  touched: number;
  prev: Entry | null;
  next: Entry | null;
}

/** Counters of a {@link StateTable}. */
export interface StateStats {
  states: number;
  evictedStates: number;
  expiredStates: number;
}

const sizeOf = (slot: Slot): number => (Array.isArray(slot) ? slot.length : 1);
const same = (s: DeliveryState, provider: string, participantId: string | null) => s.provider === provider && s.participantId === participantId;

/** The state half of the memory store. */
export interface StateTable {
  get(provider: string, messageId: string, participantId: string | null, now: number): DeliveryState | null;
  /** Stores `next`, replacing the state of the same identity. */
  put(next: DeliveryState, now: number): void;
  /**
   * Joins `observation` into the state of its identity with `join` (one lookup), stores the result
   * when it changed, and returns before and after.
   */
  upsert(observation: DeliveryState, now: number, join: (a: DeliveryState, b: DeliveryState) => DeliveryState): { before: DeliveryState | null; after: DeliveryState };
  byMessage(messageId: string, now: number): DeliveryState[];
  /** Every live state, least recently touched first. */
  all(now: number): DeliveryState[];
  stats(): StateStats;
  clear(): void;
}

/** Creates a state table bounded to `maxEntries` states, expiring untouched messages after `ttlMs`. */
export function createStateTable(maxEntries: number, ttlMs: number): StateTable {
  const entries = new Map<string, Entry>();
  let head: Entry | null = null; // least recently touched
  let tail: Entry | null = null;
  let size = 0;
  let evicted = 0;
  let expired = 0;

  function unlink(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else head = e.next;
    if (e.next) e.next.prev = e.prev;
    else tail = e.prev;
    e.prev = e.next = null;
  }

  function append(e: Entry): void {
    e.prev = tail;
    e.next = null;
    if (tail) tail.next = e;
    else head = e;
    tail = e;
  }

  function drop(e: Entry): number {
    unlink(e);
    entries.delete(e.messageId);
    const n = sizeOf(e.slot);
    size -= n;
    return n;
  }

  /** Expired messages are always at the head: drop them. */
  function expire(now: number): void {
    while (head !== null && now - head.touched >= ttlMs) expired += drop(head);
  }

  function entryOf(messageId: string, now: number): Entry | undefined {
    expire(now);
    const e = entries.get(messageId);
    if (e !== undefined && e !== tail) {
      unlink(e);
      append(e);
    }
    if (e !== undefined) e.touched = now;
    return e;
  }

  function put(next: DeliveryState, now: number): void {
    const e = entryOf(next.messageId, now);
    if (e === undefined) {
      const entry: Entry = { messageId: next.messageId, slot: next, touched: now, prev: null, next: null };
      entries.set(next.messageId, entry);
      append(entry);
      size++;
    } else if (!Array.isArray(e.slot)) {
      if (same(e.slot, next.provider, next.participantId)) e.slot = next;
      else {
        e.slot = [e.slot, next];
        size++;
      }
    } else {
      const i = e.slot.findIndex((s) => same(s, next.provider, next.participantId));
      if (i >= 0) e.slot[i] = next;
      else {
        e.slot.push(next);
        size++;
      }
    }
    // Never evict the message just written: the caller's result must stay readable.
    while (size > maxEntries && head !== null && head !== tail) evicted += drop(head);
  }

  return {
    get(provider, messageId, participantId, now) {
      const e = entryOf(messageId, now);
      if (e === undefined) return null;
      const slot = e.slot;
      if (!Array.isArray(slot)) return same(slot, provider, participantId) ? slot : null;
      return slot.find((s) => same(s, provider, participantId)) ?? null;
    },
    put,
    upsert(observation, now, join) {
      const e = entryOf(observation.messageId, now);
      if (e !== undefined) {
        const slot = e.slot;
        const i = Array.isArray(slot) ? slot.findIndex((s) => same(s, observation.provider, observation.participantId)) : same(slot, observation.provider, observation.participantId) ? -2 : -1;
        if (i !== -1) {
          const before = i === -2 ? (slot as DeliveryState) : ((slot as DeliveryState[])[i] as DeliveryState);
          const after = join(before, observation);
          if (after !== before) {
            if (i === -2) e.slot = after;
            else (slot as DeliveryState[])[i] = after;
          }
          return { before, after };
        }
      }
      put(observation, now);
      return { before: null, after: observation };
    },
    byMessage(messageId, now) {
      const e = entryOf(messageId, now);
      if (e === undefined) return [];
      return Array.isArray(e.slot) ? e.slot.slice() : [e.slot];
    },
    all(now) {
      expire(now);
      const out: DeliveryState[] = [];
      for (let e = head; e !== null; e = e.next) {
        if (Array.isArray(e.slot)) out.push(...e.slot);
        else out.push(e.slot);
      }
      return out;
    },
    stats: () => ({ states: size, evictedStates: evicted, expiredStates: expired }),
    clear() {
      entries.clear();
      head = tail = null;
      size = 0;
    },
  };
}
