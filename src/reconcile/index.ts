/**
 * `bluetick/reconcile`: catches the status updates that never came (a receiver that was down, a
 * provider that gave up retrying). A reconciler reads the stale states of a tracker's store, asks
 * a {@link StatusSource} (WASenderApi's message-info endpoint, or your own) and merges each answer
 * as an ordinary polled observation: the lattice decides, so a poll never downgrades anything and
 * a late webhook still merges. States nothing can check (Cloud API, On-Premises) are reported
 * `expired` once past a horizon. See docs/missed-updates.md.
 *
 * @packageDocumentation
 */
export { createReconciler } from './reconciler.js';
export type { Reconciler, ReconcilerOptions, RunOptions, ScheduleOptions } from './reconciler.js';
export { wasenderStatusSource } from './wasender-source.js';
export type { WasenderSourceOptions } from './wasender-source.js';
export { createRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
export { pollEvent, expiredEvent, EXPIRED } from './events.js';
export { ReconcileError } from './errors.js';
export type { ReconcileErrorCode } from './errors.js';
export type { CheckContext, Observation, ReconcileProgress, ReconcileReport, StatusSource } from './types.js';
