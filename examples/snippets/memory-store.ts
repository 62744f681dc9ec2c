/**
 * docs/storage-adapters.md: the memory store with its bounds.
 *
 * @sample run
 */
import { createTracker, memoryStore } from 'bluetick';
const store = memoryStore({ maxEntries: 1_000_000, ttlMs: 14 * 86_400_000 });
const tracker = createTracker({ store });
store.stats(); // { states, claims, evictedStates, expiredStates, evictedClaims, outbox, deadLetters, … }

await tracker.close();
