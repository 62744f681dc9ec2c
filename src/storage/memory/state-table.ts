/**
 * Delivery states of the memory store, packed into columns: the numbers of every state in one
 * `Float64Array`, its strings and small objects in one plain array per field, the
 * least-recently-touched list in `Int32Array` links. A state object is built only when a caller
 * reads one, and it dies young.
 *
 * Why columns and not the state objects themselves: a receiver's states live for minutes, so each
 * one outlived the young generation, was copied twice and then collected in the old generation.
 * Measured with `bench/receiver.ts` (50-status batches, memory store), the allocation of the state
 * and of its list entry took 17% of the server's CPU before GC itself (12%); see the figures in
 * docs/operating-at-scale.md. Here a merge writes numbers into a typed array and allocates
 * nothing that lives.
 *
 * The states of one message id (one per provider and group participant) form a chain from the
 * message's head slot; the head slot carries the message's place in the LRU list. Keying by the
 * message id makes `findByMessage` one lookup. A touch and an eviction are O(1). An untouched
 * message expires after `ttlMs`; past `maxEntries` states the least recently touched messages go
 * first (counted).
 */
import type { Conversation, Pricing, Provider, ProviderError } from '../../event/types.js';
import type { DeliveryState, TrackMeta } from '../../state/state.js';
import { createHashIndex } from './hash-index.js';

/** Counters of a {@link StateTable}. */
export interface StateStats {
  states: number;
  evictedStates: number;
  expiredStates: number;
}

/** The state half of the memory store. */
export interface StateTable {
  get(provider: string, messageId: string, participantId: string | null, now: number): DeliveryState | null;
  /**
   * Joins `observation` into the state of its identity with `join` (one lookup), stores the result
   * when it changed, and returns before and after.
   */
  upsert(observation: DeliveryState, now: number, join: (a: DeliveryState, b: DeliveryState) => DeliveryState): { before: DeliveryState | null; after: DeliveryState };
  byMessage(messageId: string, now: number): DeliveryState[];
  /** Every live state, least recently touched message first. */
  all(now: number): DeliveryState[];
  stats(): StateStats;
  clear(): void;
}

// The numeric columns of a slot, `STRIDE` per slot in `nums`. TOUCHED is used by head slots only.
const RANK = 0;
const PENDING = 1; // …the eight times in TIME_FIELDS order, PENDING + i
const ESTIMATED = 9;
const BILLING_RANK = 10;
const TOUCHED = 11;
const STRIDE = 12;
const NONE = -1;

/** Creates a state table bounded to `maxEntries` states, expiring untouched messages after `ttlMs`. */
export function createStateTable(maxEntries: number, ttlMs: number, initialSlots = 1024): StateTable {
  const index = createHashIndex(); // message id → head slot
  // The id headOf() looked up last, and its hash: insert() indexes a new message under it.
  let wanted = '';
  let wantedH = 0;
  let wantedL = 0;
  const isWanted = (s: number): boolean => messageIds[s] === wanted;
  let cap = 0;
  let nums = new Float64Array(0);
  let prev = new Int32Array(0); // LRU links of head slots
  let next = new Int32Array(0);
  let sibling = new Int32Array(0); // the next state of the same message id
  let free = new Int32Array(0); // a stack of free slots
  let freeTop = 0;
  let tracked = new Uint8Array(0);
  // One array per reference field, slot-indexed, null where empty.
  const providers: Array<Provider | null> = [];
  const messageIds: Array<string | null> = [];
  const participants: Array<string | null> = [];
  const accounts: Array<string | null> = [];
  const recipients: Array<string | null> = [];
  const errors: Array<Record<string, ProviderError> | null> = [];
  const pricings: Array<Pricing | null> = [];
  const conversations: Array<Conversation | null> = [];
  const bizData: Array<string | null> = [];
  const annotations: Array<string[] | null> = [];
  const metas: Array<TrackMeta | null> = [];
  const refColumns: Array<unknown[]> = [providers, messageIds, participants, accounts, recipients, errors, pricings, conversations, bizData, annotations, metas];
  let lruHead = NONE; // least recently touched message
  let lruTail = NONE;
  let size = 0;
  let evicted = 0;
  let expired = 0;

  function grow(): void {
    const old = cap;
    cap = Math.max(initialSlots, old * 2);
    const n = new Float64Array(cap * STRIDE);
    n.set(nums);
    nums = n;
    const widen = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    prev = widen(prev);
    next = widen(next);
    sibling = widen(sibling);
    free = widen(free);
    const t = new Uint8Array(cap);
    t.set(tracked);
    tracked = t;
    for (const column of refColumns) {
      column.length = cap;
      column.fill(null, old);
    }
    // The new slots go on the free stack, lowest on top.
    for (let s = cap - 1; s >= old; s--) free[freeTop++] = s;
    index.resize(cap);
  }

  function alloc(): number {
    if (freeTop === 0) grow();
    return free[--freeTop] as number;
  }

  function release(s: number): void {
    for (const column of refColumns) column[s] = null; // the strings and objects may go
    free[freeTop++] = s;
  }

  function write(s: number, st: DeliveryState): void {
    const b = s * STRIDE;
    nums[b + RANK] = st.rank;
    nums[b + PENDING] = st.pendingAt;
    nums[b + PENDING + 1] = st.sentAt;
    nums[b + PENDING + 2] = st.deliveredAt;
    nums[b + PENDING + 3] = st.readAt;
    nums[b + PENDING + 4] = st.playedAt;
    nums[b + PENDING + 5] = st.failedAt;
    nums[b + PENDING + 6] = st.deletedAt;
    nums[b + PENDING + 7] = st.warningAt;
    nums[b + ESTIMATED] = st.estimated;
    nums[b + BILLING_RANK] = st.billingRank;
    tracked[s] = st.tracked ? 1 : 0;
    providers[s] = st.provider;
    messageIds[s] = st.messageId;
    participants[s] = st.participantId;
    accounts[s] = st.accountId;
    recipients[s] = st.recipientId;
    errors[s] = st.errors;
    pricings[s] = st.pricing;
    conversations[s] = st.conversation;
    bizData[s] = st.bizOpaqueCallbackData;
    annotations[s] = st.annotations;
    metas[s] = st.meta;
  }

  /** A fresh state object of slot `s`, in the field order observe() and merge() build (one shape). */
  function read(s: number): DeliveryState {
    const b = s * STRIDE;
    return {
      provider: providers[s] as Provider,
      messageId: messageIds[s] as string,
      participantId: participants[s] as string | null,
      accountId: accounts[s] as string | null,
      recipientId: recipients[s] as string | null,
      rank: nums[b + RANK] as number,
      pendingAt: nums[b + PENDING] as number,
      sentAt: nums[b + PENDING + 1] as number,
      deliveredAt: nums[b + PENDING + 2] as number,
      readAt: nums[b + PENDING + 3] as number,
      playedAt: nums[b + PENDING + 4] as number,
      failedAt: nums[b + PENDING + 5] as number,
      deletedAt: nums[b + PENDING + 6] as number,
      warningAt: nums[b + PENDING + 7] as number,
      estimated: nums[b + ESTIMATED] as number,
      errors: errors[s] as Record<string, ProviderError> | null,
      billingRank: nums[b + BILLING_RANK] as number,
      pricing: pricings[s] as Pricing | null,
      conversation: conversations[s] as Conversation | null,
      bizOpaqueCallbackData: bizData[s] as string | null,
      annotations: annotations[s] as string[] | null,
      tracked: tracked[s] === 1,
      meta: metas[s] as TrackMeta | null,
    };
  }

  function unlink(h: number): void {
    const p = prev[h] as number;
    const n = next[h] as number;
    if (p !== NONE) next[p] = n;
    else lruHead = n;
    if (n !== NONE) prev[n] = p;
    else lruTail = p;
  }

  function append(h: number): void {
    prev[h] = lruTail;
    next[h] = NONE;
    if (lruTail !== NONE) next[lruTail] = h;
    else lruHead = h;
    lruTail = h;
  }

  /** Drops a message (every state of its chain); returns how many states went. */
  function drop(h: number): number {
    unlink(h);
    index.removeAt(index.positionOf(h));
    let n = 0;
    for (let s = h; s !== NONE; ) {
      const following = sibling[s] as number;
      release(s);
      s = following;
      n++;
    }
    size -= n;
    return n;
  }

  /** Expired messages are always at the head: drop them. */
  function expire(now: number): void {
    while (lruHead !== NONE && now - (nums[lruHead * STRIDE + TOUCHED] as number) >= ttlMs) expired += drop(lruHead);
  }

  /** The head slot of a message id (touched), or NONE. */
  function headOf(messageId: string, now: number): number {
    expire(now);
    const lanes = index.hash(messageId);
    wanted = messageId;
    wantedH = lanes[0] as number;
    wantedL = lanes[1] as number;
    const position = index.find(wantedH, wantedL, isWanted);
    if (position < 0) return NONE;
    const h = index.slotAt(position);
    if (h !== lruTail) {
      unlink(h);
      append(h);
    }
    nums[h * STRIDE + TOUCHED] = now;
    return h;
  }

  function find(h: number, provider: string, participantId: string | null): number {
    for (let s = h; s !== NONE; s = sibling[s] as number) if (providers[s] === provider && participants[s] === participantId) return s;
    return NONE;
  }

  /**
   * Stores a state of a new identity: a new message (h = NONE, just missed by headOf) or a new link
   * of h's chain.
   */
  function insert(st: DeliveryState, h: number, now: number): void {
    const s = alloc();
    write(s, st);
    sibling[s] = NONE;
    if (h === NONE) {
      index.insert(s, wantedH, wantedL);
      nums[s * STRIDE + TOUCHED] = now;
      append(s);
    } else {
      let last = h;
      while (sibling[last] !== NONE) last = sibling[last] as number;
      sibling[last] = s;
    }
    size++;
    // Never evict the message just written: the caller's result must stay readable.
    const written = h === NONE ? s : h;
    while (size > maxEntries && lruHead !== NONE && lruHead !== written) evicted += drop(lruHead);
  }

  function chain(h: number, out: DeliveryState[]): void {
    for (let s = h; s !== NONE; s = sibling[s] as number) out.push(read(s));
  }

  return {
    get(provider, messageId, participantId, now) {
      const h = headOf(messageId, now);
      if (h === NONE) return null;
      const s = find(h, provider, participantId);
      return s === NONE ? null : read(s);
    },
    upsert(observation, now, join) {
      const h = headOf(observation.messageId, now);
      const s = h === NONE ? NONE : find(h, observation.provider, observation.participantId);
      if (s === NONE) {
        insert(observation, h, now);
        return { before: null, after: observation };
      }
      const before = read(s);
      const after = join(before, observation);
      if (after !== before) write(s, after);
      return { before, after };
    },
    byMessage(messageId, now) {
      const out: DeliveryState[] = [];
      const h = headOf(messageId, now);
      if (h !== NONE) chain(h, out);
      return out;
    },
    all(now) {
      expire(now);
      const out: DeliveryState[] = [];
      for (let h = lruHead; h !== NONE; h = next[h] as number) chain(h, out);
      return out;
    },
    stats: () => ({ states: size, evictedStates: evicted, expiredStates: expired }),
    clear() {
      index.clear();
      wanted = '';
      for (const column of refColumns) column.length = 0;
      cap = 0;
      nums = new Float64Array(0);
      prev = new Int32Array(0);
      next = new Int32Array(0);
      sibling = new Int32Array(0);
      free = new Int32Array(0);
      tracked = new Uint8Array(0);
      freeTop = 0;
      lruHead = lruTail = NONE;
      size = 0;
    },
  };
}
