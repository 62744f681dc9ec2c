/**
 * `bluetick/testing`: the conformance suite every `StorageAdapter` (see the `bluetick` package) must pass, and helpers
 * to build observations. Pass your test runner's functions in; nothing here imports one.
 *
 * @packageDocumentation
 */
export { runStorageAdapterConformance } from './conformance.js';
export type { ConformanceAssertion, ConformanceRunner, ConformanceTarget } from './conformance.js';
export { observation, observationSet, foldItems, seeded, shuffle } from './observations.js';
