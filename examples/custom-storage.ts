/**
 * A store of your own, written from the `StateStore` contract: ONE atomic operation, `ingest`
 * (claim each event id, merge each observation with bluetick's `merge`, append the claimed events
 * to the outbox, all or nothing), plus reads and the outbox's lease/ack. This one keeps everything
 * in Maps; a real one puts the same step in one database transaction, and must pass
 * `runStateStoreConformance` from `bluetick/testing` (see the test of this file).
 */
import { createTracker, StorageError, type DeadLetterRecord, type DeliveryState, type MergeResult, type OutboxRecord, type StateStore } from 'bluetick';
import { atOfRank, hasFailure, merge, RANK } from 'bluetick/state';

interface Held {
  record: OutboxRecord;
  /** When its lease ends (0: nobody holds it). */
  until: number;
  leases: number;
}

/**
 * A Map-backed store. Every method body runs synchronously inside its promise, so each step is
 * atomic within this process: no other call can interleave between the reads and the writes.
 */
export function mapStore(): StateStore {
  const claims = new Map<string, number>(); // event id → expiry (epoch ms)
  const states = new Map<string, DeliveryState>(); // state key → merged state
  const outbox = new Map<string, Held>(); // record id → record, in append order
  let dead: DeadLetterRecord[] = [];
  let seq = 0;
  let closed = false;

  function open(): void {
    // The tracker turns StorageErrors into 503 answers, so the provider retries later.
    if (closed) throw new StorageError('closed', 'mapStore is closed');
  }

  function claim(id: string, ttlMs: number, now: number): boolean {
    const expiry = claims.get(id);
    if (expiry !== undefined && expiry > now) return false;
    claims.set(id, now + ttlMs);
    // Expired claims are dead weight: drop them now and then (a database would use a TTL index).
    if (claims.size % 10_000 === 0) for (const [k, e] of claims) if (e <= now) claims.delete(k);
    return true;
  }

  function take(held: Held, now: number, leaseMs: number): OutboxRecord {
    held.until = now + leaseMs;
    held.record = { ...held.record, attempts: held.leases++ };
    return held.record;
  }

  return {
    async ingest(step) {
      open();
      const now = Date.now();
      const claimed = step.events.map((e) => claim(e.id, step.claimTtlMs, now));
      // Every observation is merged, a duplicate's too: merge() is idempotent, so it changes nothing.
      const merged: MergeResult[] = step.merges.map(({ key, observation }) => {
        const before = states.get(key) ?? null;
        // merge() is the lattice join: commutative, associative, idempotent. Never write your own.
        const after = before === null ? observation : merge(before, observation);
        states.set(key, after);
        return { before, after };
      });
      // One record per claimed event and consumer, in event then consumer order, held by the appender.
      const change = new Map(step.merges.map((m, i) => [m.event, merged[i] as MergeResult]));
      const records: OutboxRecord[] = [];
      step.events.forEach((event, i) => {
        if (!claimed[i]) return;
        for (const consumer of step.outbox.consumers) {
          const record: OutboxRecord = { id: String(++seq), consumer, event, attempts: 0, appendedAt: now, ...change.get(i) };
          outbox.set(record.id, { record, until: now + step.outbox.leaseMs, leases: 1 });
          records.push(record);
        }
      });
      return { claimed, merged, records };
    },
    async get(key) {
      open();
      return states.get(key) ?? null;
    },
    async findByMessage(ref) {
      open();
      return [...states.values()].filter((s) => s.messageId === ref.messageId && (ref.provider === undefined || s.provider === ref.provider));
    },
    async findStale(query) {
      open();
      const ranks = new Set(query.statuses.map((s) => RANK[s]));
      const out = [...states.values()].filter((s) => ranks.has(s.rank as 1 | 2 | 3 | 4) && !hasFailure(s) && atOfRank(s, s.rank) < query.olderThan);
      return query.limit === undefined ? out : out.slice(0, query.limit);
    },
    async resolveAliases(provider, aliases) {
      open();
      const out: Record<string, string> = {};
      for (const s of states.values()) {
        const alias = s.meta?.wasenderMsgId;
        if (s.provider === provider && alias !== undefined && aliases.includes(alias)) out[alias] = s.messageId;
      }
      return out;
    },
    async scanStates(options = {}) {
      open();
      // Keyset paging: keys in order, each page after the last key of the previous one.
      const keys = [...states.keys()].sort().filter((k) => options.cursor == null || k > options.cursor);
      const page = keys.slice(0, options.limit ?? 1000);
      const more = page.length < keys.length;
      return { states: page.map((k) => states.get(k) as DeliveryState), cursor: more ? (page.at(-1) ?? null) : null };
    },
    outbox: {
      async lease(consumer, limit, leaseMs) {
        open();
        const now = Date.now();
        const out: OutboxRecord[] = [];
        for (const held of outbox.values()) {
          if (out.length >= limit) break;
          if (held.record.consumer === consumer && held.until <= now) out.push(take(held, now, leaseMs));
        }
        return out;
      },
      async ack(_consumer, ids) {
        open();
        for (const id of ids) outbox.delete(id);
      },
      async release(_consumer, ids) {
        open();
        for (const id of ids) {
          const held = outbox.get(id);
          if (held) held.until = 0;
        }
      },
      async deadLetter(consumer, items) {
        open();
        for (const item of items) {
          const held = outbox.get(item.id);
          if (held === undefined) continue;
          outbox.delete(item.id);
          dead.push({ id: item.id, consumer, event: held.record.event, reason: item.reason, message: item.message, attempts: item.attempts, at: Date.now() });
        }
      },
      async deadLetters(query = {}) {
        open();
        const list = dead.filter((d) => query.consumer === undefined || d.consumer === query.consumer);
        return list.slice(0, query.limit ?? list.length);
      },
      async replay(query) {
        open();
        const picked = dead.filter((d) => (query.consumer === undefined || d.consumer === query.consumer) && (query.ids === undefined || query.ids.includes(d.id)));
        dead = dead.filter((d) => !picked.includes(d));
        for (const d of picked) outbox.set(d.id, { record: { id: d.id, consumer: d.consumer, event: d.event, attempts: 0, appendedAt: Date.now() }, until: 0, leases: 0 });
        return picked.length;
      },
      async stats() {
        open();
        const pending: Record<string, number> = {};
        for (const { record } of outbox.values()) pending[record.consumer] = (pending[record.consumer] ?? 0) + 1;
        const deadLetters: Record<string, number> = {};
        for (const d of dead) deadLetters[d.consumer] = (deadLetters[d.consumer] ?? 0) + 1;
        return { pending, deadLetters };
      },
    },
    async ready() {
      open();
    },
    async ping() {
      open();
    },
    async close() {
      closed = true;
    },
  };
}

/** A tracker over the custom store. */
export function createCustomTracker() {
  return createTracker({ store: mapStore() });
}
