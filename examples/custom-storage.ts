/**
 * A storage adapter of your own, written from the contract in `StorageAdapter`: two atomic
 * operations, `claim` (first writer wins, until the TTL ends) and `merge` (join an observation
 * into the stored state with bluetick's `merge`, returning before and after). This one keeps
 * everything in two Maps; a real one would put the same two operations in your database, and
 * must pass `runStorageAdapterConformance` from `bluetick/testing` (see the test of this file).
 */
import { createTracker, merge, StorageError, type DeliveryState, type MessageRef, type StorageAdapter } from 'bluetick';

/**
 * A Map-backed store. Every method body runs synchronously inside its promise, so each claim and
 * merge is atomic within this process: no other call can interleave between the read and the write.
 */
export function mapStore(): StorageAdapter {
  const claims = new Map<string, number>(); // event id → expiry (epoch ms)
  const states = new Map<string, DeliveryState>(); // tracking key → merged state
  let closed = false;

  function open(): void {
    // The tracker turns StorageErrors into 503 answers, so the provider retries later.
    if (closed) throw new StorageError('closed', 'mapStore is closed');
  }

  function sweep(now: number): void {
    // Expired claims are dead weight; drop them now and then (a database would use a TTL index).
    if (claims.size % 10_000 !== 0) return;
    for (const [id, expiry] of claims) if (expiry <= now) claims.delete(id);
  }

  return {
    async claim(id, ttlMs) {
      open();
      const now = Date.now();
      const expiry = claims.get(id);
      if (expiry !== undefined && expiry > now) return false;
      claims.set(id, now + ttlMs);
      sweep(now);
      return true;
    },
    async merge(key, observation) {
      open();
      const before = states.get(key) ?? null;
      // merge() is the lattice join: commutative, associative, idempotent. Never write your own.
      const after = before === null ? observation : merge(before, observation);
      states.set(key, after);
      return { before, after };
    },
    async get(key) {
      open();
      return states.get(key) ?? null;
    },
    // Optional: lets tracker.getState(messageId) find a state without knowing its recipient.
    async findByMessage(ref: MessageRef) {
      open();
      return [...states.values()].filter(
        (s) => s.messageId === ref.messageId && (ref.provider === undefined || s.provider === ref.provider) && (ref.accountId === undefined || s.accountId === ref.accountId),
      );
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
