/**
 * "Your store" of docs/storage-adapters.md's conformance sample. Here the memory store stands in
 * for it (examples/custom-storage.ts is a complete store of one's own).
 *
 * @sample run
 */
import { memoryStore } from 'bluetick';

export const myStore = (_url?: string) => memoryStore();
