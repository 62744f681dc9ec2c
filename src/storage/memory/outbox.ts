/**
 * The memory store's outbox: records in this process's memory, leased, acked and dead-lettered
 * with the semantics of the {@link Outbox} contract. It lives as long as the process: a crash or
 * restart loses what was not delivered (use the PostgreSQL or Redis store for a durable one).
 * Bounded per consumer: past `maxRecords` the oldest record is dead-lettered as `overflow`.
 */
import type { DeadLetterItem, DeadLetterRecord, Outbox, OutboxRecord, OutboxStats } from '../outbox.js';

interface Held {
  record: OutboxRecord;
  /** Epoch ms the current lease ends; 0 when available. */
  until: number;
  /** Leases taken so far (the appender's counts as the first). */
  leases: number;
}

/** Per consumer: records by id, in append order. */
interface Lane {
  records: Map<string, Held>;
}

/** The memory outbox plus what the store's step needs. */
export interface MemoryOutbox extends Outbox {
  /** Appends records (already built by the step), leased to the appender for `leaseMs`. */
  append(records: readonly OutboxRecord[], leaseMs: number, now: number): void;
  counts(): { outbox: number; deadLetters: number; evictedDeadLetters: number };
  clear(): void;
}

/** Creates a memory outbox. */
export function createMemoryOutbox(options: { maxRecords: number; maxDeadLetters: number; now: () => number; open: () => void }): MemoryOutbox {
  const lanes = new Map<string, Lane>();
  let dead: DeadLetterRecord[] = [];
  let evictedDead = 0;
  let size = 0;

  const laneOf = (consumer: string): Lane => {
    let lane = lanes.get(consumer);
    if (lane === undefined) lanes.set(consumer, (lane = { records: new Map() }));
    return lane;
  };

  function keepDead(records: DeadLetterRecord[]): void {
    dead.push(...records);
    if (dead.length > options.maxDeadLetters) {
      evictedDead += dead.length - options.maxDeadLetters;
      dead = dead.slice(dead.length - options.maxDeadLetters);
    }
  }

  function remove(lane: Lane, id: string): Held | undefined {
    const held = lane.records.get(id);
    if (held !== undefined) {
      lane.records.delete(id);
      size--;
    }
    return held;
  }

  /** Leases a held record until `until`; its `attempts` counts the leases before this one. */
  function take(held: Held, until: number): OutboxRecord {
    held.until = until;
    held.record = { ...held.record, attempts: held.leases };
    held.leases++;
    return held.record;
  }


  const outbox: MemoryOutbox = {
    durable: false,
    append(records, leaseMs, now) {
      for (const record of records) {
        const lane = laneOf(record.consumer);
        lane.records.set(record.id, { record, until: now + leaseMs, leases: 1 });
        size++;
        if (lane.records.size > options.maxRecords) {
          const [oldestId, oldest] = lane.records.entries().next().value as [string, Held];
          remove(lane, oldestId);
          keepDead([{ id: oldestId, consumer: record.consumer, event: oldest.record.event, reason: 'overflow', message: `memory outbox full (maxOutbox ${options.maxRecords})`, attempts: oldest.record.attempts, at: now }]);
        }
      }
    },
    async lease(consumer, limit, leaseMs) {
      options.open();
      const now = options.now();
      const lane = laneOf(consumer);
      const out: OutboxRecord[] = [];
      // Oldest first: a scan in append order (acked records are gone, held ones skipped).
      for (const held of lane.records.values()) {
        if (out.length >= limit) break;
        if (held.until === 0 || held.until <= now) out.push(take(held, now + leaseMs));
      }
      return out;
    },
    async ack(consumer, ids) {
      options.open();
      const lane = laneOf(consumer);
      for (const id of ids) remove(lane, id);
    },
    async release(consumer, ids) {
      options.open();
      const lane = laneOf(consumer);
      for (const id of ids) {
        const held = lane.records.get(id);
        if (held !== undefined) held.until = 0;
      }
    },
    async deadLetter(consumer, items: readonly DeadLetterItem[]) {
      options.open();
      const lane = laneOf(consumer);
      const now = options.now();
      const moved: DeadLetterRecord[] = [];
      for (const item of items) {
        const held = remove(lane, item.id);
        if (held !== undefined) moved.push({ id: item.id, consumer, event: held.record.event, reason: item.reason, message: item.message, attempts: item.attempts, at: now });
      }
      keepDead(moved);
    },
    async deadLetters(query = {}) {
      options.open();
      const list = dead.filter((d) => query.consumer === undefined || d.consumer === query.consumer);
      return query.limit === undefined ? list : list.slice(0, query.limit);
    },
    async replay(query) {
      options.open();
      const ids = query.ids === undefined ? null : new Set(query.ids);
      const keep: DeadLetterRecord[] = [];
      let moved = 0;
      const now = options.now();
      for (const d of dead) {
        if ((query.consumer !== undefined && d.consumer !== query.consumer) || (ids !== null && !ids.has(d.id))) {
          keep.push(d);
          continue;
        }
        const lane = laneOf(d.consumer);
        lane.records.set(d.id, { record: { id: d.id, consumer: d.consumer, event: d.event, attempts: 0, appendedAt: now }, until: 0, leases: 0 });
        size++;
        moved++;
      }
      dead = keep;
      return moved;
    },
    async stats(): Promise<OutboxStats> {
      options.open();
      const pending: Record<string, number> = {};
      for (const [consumer, lane] of lanes) if (lane.records.size > 0) pending[consumer] = lane.records.size;
      const deadLetters: Record<string, number> = {};
      for (const d of dead) deadLetters[d.consumer] = (deadLetters[d.consumer] ?? 0) + 1;
      return { pending, deadLetters };
    },
    counts: () => ({ outbox: size, deadLetters: dead.length, evictedDeadLetters: evictedDead }),
    clear() {
      lanes.clear();
      dead = [];
      size = 0;
    },
  };
  return outbox;
}
