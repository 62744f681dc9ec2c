/**
 * One sink's queue and delivery loop. Internal to the dispatcher: each sink gets its own lane, so
 * a slow, hanging or failing sink only ever delays its own events.
 */
import type { CanonicalEvent } from '../event/types.js';
import { deliverBatch, type Entry, type RetryPolicy } from './deliver.js';
import { emptySinkStats, type SinkStats } from './stats.js';
import type { DeadLetterDetails, Sink } from './types.js';

export type { RetryPolicy } from './deliver.js';


/** What a lane hands to the dispatcher when events leave undelivered. */
export type Settlement = DeadLetterDetails;

/** Lane configuration plus the dispatcher services it calls back into. */
export interface LaneOptions {
  name: string;
  sink: Sink;
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  eventTtlMs: number;
  overflow: 'drop-oldest' | 'drop-newest' | 'block';
  retry: RetryPolicy;
  writeTimeoutMs: number;
  /** Aborted by `close({ timeoutMs })` when time is up. */
  shutdown: AbortSignal;
  /** Hands undelivered events on; resolves whether the dead-letter sink kept them. */
  deadLetter(events: CanonicalEvent[], settlement: Settlement): Promise<boolean>;
  dropped(events: CanonicalEvent[], name: string): void;
  writeFailed(error: unknown, name: string, attempt: number): void;
}


/** A per-sink FIFO with size/time batching, p-retry delivery, TTL and an overflow policy. */
export interface Lane {
  push(events: readonly CanonicalEvent[]): boolean;
  /** Sends everything pending now and resolves when the lane is empty and settled. */
  drain(): Promise<void>;
  /** Resolves when fewer than `maxQueue` events wait. */
  capacity(): Promise<void>;
  stats(): SinkStats;
}

/** Creates a lane; see {@link Lane}. */
export function createLane(o: LaneOptions): Lane {
  const counters = emptySinkStats();
  let pending: Entry[] = [];
  let head = 0;
  let inFlight = 0;
  let settling = 0;
  let running = false;
  let urgent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idleWaiters: (() => void)[] = [];
  let capacityWaiters: (() => void)[] = [];

  const pendingCount = () => pending.length - head;

  function takeFront(n: number): Entry[] {
    const out = pending.slice(head, head + n);
    head += out.length;
    // Compact now and then so a long-lived lane does not keep a growing dead prefix.
    if (head > 1024 && head * 2 > pending.length) {
      pending = pending.slice(head);
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
    if (pendingCount() > 0 || inFlight > 0 || settling > 0 || running) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Undelivered events leave through here, counted once by cause and once by outcome. */
  function settle(entries: Entry[], settlement: Omit<Settlement, 'sink'>): void {
    if (entries.length === 0) return;
    const n = entries.length;
    if (settlement.reason === 'expired') counters.expired += n;
    else if (settlement.reason === 'overflow') counters.dropped += n;
    else counters.failed += n;
    settling += n;
    const events = entries.map((e) => e.event);
    void o
      .deadLetter(events, { ...settlement, sink: o.name })
      .then(
        (kept) => {
          if (kept) counters.deadLettered += n;
          else counters.discarded += n;
        },
        () => {
          counters.discarded += n;
        },
      )
      .finally(() => {
        settling -= n;
        checkIdle();
      });
  }

  function isExpired(entry: Entry, now: number): boolean {
    return now - entry.enqueuedAt >= o.eventTtlMs;
  }

  /** The queue is FIFO by enqueue time, so expired events are always at its head. */
  function sweepExpired(): void {
    const now = Date.now();
    let n = 0;
    while (head + n < pending.length && isExpired(pending[head + n] as Entry, now)) n++;
    if (n > 0) settle(takeFront(n), { reason: 'expired', attempts: 0, message: `not delivered within eventTtlMs (${o.eventTtlMs} ms)` });
  }

  async function pump(): Promise<void> {
    try {
      while (true) {
        if (o.shutdown.aborted) {
          settle(takeFront(pendingCount()), { reason: 'shutdown', attempts: 0, message: 'dispatcher closed before delivery' });
          break;
        }
        sweepExpired();
        if (!due()) break;
        const batch = takeFront(o.batchSize);
        if (batch.length === 0) break;
        await deliverBatch(batch, {
          sink: o.sink,
          name: o.name,
          retry: o.retry,
          writeTimeoutMs: o.writeTimeoutMs,
          shutdown: o.shutdown,
          counters,
          isExpired,
          setInFlight: (n) => (inFlight = n),
          settle,
          writeFailed: o.writeFailed,
          ttlMessage: `not delivered within eventTtlMs (${o.eventTtlMs} ms)`,
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
    if (running) return;
    running = true;
    void pump();
  }

  /** Age of the oldest waiting event, or -1 when none waits. */
  function oldestAge(): number {
    const oldest = pending[head];
    return oldest ? Date.now() - oldest.enqueuedAt : -1;
  }

  /** Send now when a batch is full, a flush or shutdown asks, or the oldest event waited long enough. */
  function due(): boolean {
    if (pendingCount() === 0) return false;
    return urgent > 0 || o.shutdown.aborted || pendingCount() >= o.batchSize || oldestAge() >= o.flushIntervalMs;
  }

  function schedule(): void {
    if (running || pendingCount() === 0) return;
    if (due()) start();
    else timer ??= setTimeout(start, Math.max(0, o.flushIntervalMs - oldestAge()));
  }

  return {
    push(events) {
      counters.enqueued += events.length;
      const now = Date.now();
      const dropped: Entry[] = [];
      for (const event of events) {
        const entry = { event, enqueuedAt: now };
        if (o.overflow === 'drop-newest' && pendingCount() >= o.maxQueue) {
          dropped.push(entry);
          continue;
        }
        pending.push(entry);
        if (o.overflow === 'drop-oldest' && pendingCount() > o.maxQueue) dropped.push(...takeFront(1));
      }
      if (dropped.length > 0) {
        o.dropped(
          dropped.map((e) => e.event),
          o.name,
        );
        settle(dropped, { reason: 'overflow', attempts: 0, message: `queue full (maxQueue ${o.maxQueue}, policy ${o.overflow})` });
      }
      sweepExpired();
      schedule();
      return pendingCount() < o.maxQueue;
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
    capacity() {
      if (pendingCount() < o.maxQueue) return Promise.resolve();
      return new Promise<void>((resolve) => capacityWaiters.push(resolve));
    },
    stats() {
      return { ...counters, queued: pendingCount() + inFlight + settling, inFlight };
    },
  };
}
