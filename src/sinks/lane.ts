/**
 * One sink's share of the outbox: the records this process holds for it, batched by size and
 * time, delivered with retries, then acked (delivered) or dead-lettered in the outbox. Internal to
 * the dispatcher: each sink gets its own lane, so a slow, hanging or failing sink only ever delays
 * its own records.
 *
 * A lane holds at most `maxQueue` records in memory; more are handed back to the outbox (their
 * lease released) and come back through recovery, which also picks up records whose lease ended
 * (a crashed process's, or this process's own after a restart).
 */
import type { DeadLetterReason, Outbox, OutboxRecord } from '../storage/outbox.js';
import type { DeliveryTracing } from '../tracing/delivery.js';
import { deliverBatch, type RetryPolicy, type Undelivered } from './deliver.js';
import { emptySinkStats, type SinkStats } from './stats.js';
import type { Sink } from './types.js';

export type { RetryPolicy } from './deliver.js';

/** Lane configuration plus the dispatcher services it calls back into. */
export interface LaneOptions {
  name: string;
  sink: Sink;
  outbox: Outbox;
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  eventTtlMs: number;
  retry: RetryPolicy;
  writeTimeoutMs: number;
  leaseMs: number;
  recoverEveryMs: number;
  /** Called with what is dead-lettered, after the outbox recorded it (the dead-letter sink, hooks, metrics). */
  deadLettered(records: OutboxRecord[], details: { reason: DeadLetterReason; attempts: number; error?: unknown; message: string }): Promise<void>;
  writeFailed(error: unknown, name: string, attempt: number): void;
  /** Records handed back to the outbox because the lane was full. */
  shed(n: number): void;
  /** Outbox operations that failed (the records stay leased and come back after the lease). */
  outboxFailed(error: unknown, name: string): void;
  /** Present when the dispatcher is traced. */
  tracing?: DeliveryTracing;
}

/** A per-sink queue over the outbox. */
export interface Lane {
  /** Takes records leased to this process (fresh from an ingest, or recovered). */
  push(records: readonly OutboxRecord[], recovered?: boolean): void;
  /** Sends everything held now and resolves when the lane is empty and settled. */
  drain(): Promise<void>;
  /** Resolves when fewer than `maxQueue` records wait. */
  capacity(): Promise<void>;
  /** Whether fewer than `maxQueue` records wait (in-flight ones not counted). */
  hasRoom(): boolean;
  /** Leases orphaned records of this sink (expired leases) into the lane. */
  recover(): Promise<void>;
  /** Stops: after `drain` or at `stop`, hands back what is left (releasing leases). */
  close(stop: AbortSignal): Promise<void>;
  stats(): SinkStats;
}

/** Creates a lane; see {@link Lane}. */
export function createLane(o: LaneOptions): Lane {
  const counters = emptySinkStats();
  // The records this lane holds (queued or in flight), and when each entered it: batching waits
  // count from there, not from its append.
  const held = new Map<string, number>();
  let queue: OutboxRecord[] = [];
  let head = 0;
  let inFlight = 0;
  let running = false;
  let urgent = 0;
  let closing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idleWaiters: (() => void)[] = [];
  let capacityWaiters: (() => void)[] = [];
  const ops = new Set<Promise<unknown>>();
  const stop = new AbortController();

  const pendingCount = () => queue.length - head;

  /** Tracks a background outbox operation, so drain() and close() wait for it. */
  function track(op: Promise<unknown>): void {
    const p = op.catch((error: unknown) => o.outboxFailed(error, o.name)).finally(() => {
      ops.delete(p);
      checkIdle();
    });
    ops.add(p);
  }

  function forget(records: readonly OutboxRecord[]): void {
    for (const r of records) held.delete(r.id);
  }

  function handBack(records: OutboxRecord[], counter: 'shed' | 'released'): void {
    if (records.length === 0) return;
    forget(records);
    counters[counter] += records.length;
    if (counter === 'shed') o.shed(records.length);
    track(o.outbox.release(o.name, records.map((r) => r.id)));
  }

  function takeFront(n: number): OutboxRecord[] {
    const out = queue.slice(head, head + n);
    head += out.length;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    if (pendingCount() < o.maxQueue && capacityWaiters.length > 0) {
      const waiters = capacityWaiters;
      capacityWaiters = [];
      for (const resolve of waiters) resolve();
    }
    return out;
  }

  function checkIdle(): void {
    if (pendingCount() > 0 || inFlight > 0 || running || ops.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function undelivered(u: Undelivered): void {
    if (u.records.length === 0) return;
    if (u.reason === 'expired') counters.expired += u.records.length;
    else counters.failed += u.records.length;
    const items = u.records.map((r) => ({ id: r.id, reason: u.reason, message: u.message, attempts: u.attempts + r.attempts }));
    track(
      o.outbox.deadLetter(o.name, items).then(async () => {
        counters.deadLettered += u.records.length;
        forget(u.records);
        await o.deadLettered(u.records, { reason: u.reason, attempts: u.attempts, error: u.error, message: u.message });
      }),
    );
  }

  const isExpired = (r: OutboxRecord, now: number) => now - r.appendedAt >= o.eventTtlMs;

  /** The queue is in append order, so expired records are at its head. */
  function sweepExpired(): void {
    const now = Date.now();
    let n = 0;
    while (head + n < queue.length && isExpired(queue[head + n] as OutboxRecord, now)) n++;
    if (n > 0) undelivered({ records: takeFront(n), reason: 'expired', attempts: 0, message: `not delivered within eventTtlMs (${o.eventTtlMs} ms)` });
  }

  async function pump(): Promise<void> {
    try {
      while (!stop.signal.aborted) {
        sweepExpired();
        if (!due()) break;
        const batch = takeFront(o.batchSize);
        if (batch.length === 0) break;
        await deliverBatch(batch, {
          sink: o.sink,
          name: o.name,
          retry: o.retry,
          writeTimeoutMs: o.writeTimeoutMs,
          stop: stop.signal,
          counters,
          isExpired,
          ttlMessage: `not delivered within eventTtlMs (${o.eventTtlMs} ms)`,
          setInFlight: (n) => (inFlight = n),
          delivered(records) {
            if (records.length === 0) return;
            counters.delivered += records.length;
            forget(records);
            track(o.outbox.ack(o.name, records.map((r) => r.id)));
          },
          undelivered,
          stopped: (records) => handBack(records, 'released'),
          writeFailed: (error, attempt) => o.writeFailed(error, o.name, attempt),
          ...(o.tracing === undefined ? {} : { tracing: o.tracing }),
        });
      }
    } finally {
      running = false;
      checkIdle();
      schedule();
    }
  }

  function start(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (running || stop.signal.aborted) return;
    running = true;
    void pump();
  }

  /** Age of the oldest waiting record in this lane, or -1. */
  function oldestAge(): number {
    const oldest = queue[head];
    return oldest ? Date.now() - (held.get(oldest.id) ?? 0) : -1;
  }

  function due(): boolean {
    if (pendingCount() === 0) return false;
    return urgent > 0 || closing || pendingCount() >= o.batchSize || oldestAge() >= o.flushIntervalMs;
  }

  function schedule(): void {
    if (running || pendingCount() === 0 || stop.signal.aborted) return;
    if (due()) start();
    else timer ??= setTimeout(start, Math.max(0, o.flushIntervalMs - oldestAge()));
  }

  const lane: Lane = {
    push(records, recovered = false) {
      const now = Date.now();
      let taken = 0;
      for (const r of records) {
        if (held.has(r.id)) continue;
        held.set(r.id, now);
        queue.push(r);
        taken++;
      }
      counters.enqueued += taken;
      if (recovered) counters.recovered += taken;
      if (pendingCount() > o.maxQueue) {
        handBack(queue.splice(queue.length - (pendingCount() - o.maxQueue)), 'shed');
      }
      if (closing || stop.signal.aborted) {
        handBack(takeFront(pendingCount()), 'released');
        return;
      }
      sweepExpired();
      schedule();
    },
    async drain() {
      urgent++;
      try {
        schedule();
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
          checkIdle();
        });
      } finally {
        urgent--;
      }
    },
    hasRoom: () => pendingCount() < o.maxQueue,
    capacity() {
      if (pendingCount() < o.maxQueue) return Promise.resolve();
      return new Promise<void>((resolve) => capacityWaiters.push(resolve));
    },
    async recover() {
      if (closing || stop.signal.aborted) return;
      for (;;) {
        const room = o.maxQueue - pendingCount();
        if (room <= 0) return;
        const records = await o.outbox.lease(o.name, Math.min(room, Math.max(o.batchSize, 100)), o.leaseMs);
        if (records.length === 0) return;
        lane.push(records, true);
        if (records.length < Math.min(room, Math.max(o.batchSize, 100))) return;
      }
    },
    async close(deadline) {
      closing = true;
      const onStop = () => stop.abort(deadline.reason);
      if (deadline.aborted) onStop();
      else deadline.addEventListener('abort', onStop, { once: true });
      // Deliver what is held until the deadline; then stop and hand the rest back.
      const cut = new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
      await Promise.race([lane.drain(), cut]);
      stop.abort();
      if (timer) clearTimeout(timer);
      handBack(takeFront(pendingCount()), 'released');
      await Promise.all([...ops]);
      deadline.removeEventListener('abort', onStop);
    },
    stats() {
      return { ...counters, queued: pendingCount() + inFlight, inFlight };
    },
  };
  return lane;
}
