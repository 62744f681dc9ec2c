/**
 * Durable listeners: each accepted event gets an outbox record for the tracker's listeners
 * (consumer {@link LISTENERS_CONSUMER}) in the same atomic step that accepts it, leased to the
 * process that commits it. That process runs its listeners and acks the records (acks are batched
 * in the background); if it stops first, the lease ends and any tracker sharing the store, this
 * one after a restart included, re-runs the listeners from the records.
 */
import { LISTENERS_CONSUMER, type Outbox, type OutboxRecord } from '../storage/outbox.js';

/** Acks and recovery of listener records. */
export interface ListenerOutbox {
  /** Acks these records in the background (batched). */
  ack(records: readonly OutboxRecord[]): void;
  /** Leases orphaned records (expired leases) and hands them to `run`; repeats while pages are full. */
  recover(run: (records: OutboxRecord[]) => Promise<void>): Promise<number>;
  /** Sends the acks still waiting. */
  flush(): Promise<void>;
}

const ACK_BATCH = 500;
const ACK_DELAY_MS = 20;

/** Creates the listener outbox helper of one tracker. */
export function createListenerOutbox(outbox: Outbox, leaseMs: number, onError: (error: unknown) => void): ListenerOutbox {
  let waiting: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> = Promise.resolve();

  function send(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return sending;
    const ids = waiting;
    waiting = [];
    // Failed acks only mean the listeners run once more after the lease: report, do not throw.
    sending = sending.then(() => outbox.ack(LISTENERS_CONSUMER, ids)).catch(onError);
    return sending;
  }

  return {
    ack(records) {
      for (const r of records) waiting.push(r.id);
      if (waiting.length >= ACK_BATCH) void send();
      else if (timer === undefined && waiting.length > 0) {
        timer = setTimeout(() => void send(), ACK_DELAY_MS);
        timer.unref?.();
      }
    },
    async recover(run) {
      let total = 0;
      for (;;) {
        const records = await outbox.lease(LISTENERS_CONSUMER, 100, leaseMs);
        if (records.length === 0) break;
        await run(records);
        await outbox.ack(LISTENERS_CONSUMER, records.map((r) => r.id));
        total += records.length;
        if (records.length < 100) break;
      }
      return total;
    },
    flush: () => send(),
  };
}
