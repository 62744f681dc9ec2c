/**
 * `bluetick/testing`: the conformance suites every store (see `StateStore` and `AnalyticsStore`
 * in the `bluetick` package) must pass, and helpers to build status events, observations and
 * ingest steps. Pass your test runner's functions in; nothing here imports one.
 *
 * @packageDocumentation
 */
export { runStateStoreConformance } from './conformance/state-store.js';
export { runAnalyticsStoreConformance } from './conformance/analytics-store.js';
export type { ConformanceAssertion, ConformanceRunner, ConformanceTarget } from './conformance/runner.js';
export { observation, observationSet, stepOf, foldItems, seeded, shuffle } from './observations.js';
export type { StepItem } from './observations.js';
