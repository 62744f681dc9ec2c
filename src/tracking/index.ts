/**
 * Delivery tracking: the pure lattice (`observe`, `merge`, `applyEvent`, `present`) and the
 * tracker built on a {@link StorageAdapter}.
 *
 * @packageDocumentation
 */
export { RANK, RANK_STATUS, rankOf, atOfRank, MAX_ERRORS, MAX_ANNOTATIONS, MAX_TAGS } from './state.js';
export type { DeliveryState, Rank, TrackMeta } from './state.js';
export { observe } from './observe.js';
export { merge, applyEvent } from './merge.js';
export { present, presentedEquals, presentedStatus, samePresentation, hasFailure } from './present.js';
export type { FailedPolicy, PresentedState, PresentOptions } from './present.js';
export { trackingKey, parseTrackingKey } from './key.js';
export type { TrackingKeyParts } from './key.js';
export { createTracker } from './tracker.js';
export type { Tracker } from './tracker.js';
export { TrackingError } from './errors.js';
export type { TrackingErrorCode } from './errors.js';
export type { ListenerFailure } from './listeners.js';
export type {
  GroupSummary,
  IngestInput,
  IngestReport,
  StaleCheckOptions,
  StaleMessage,
  StaleOptions,
  StateQuery,
  TrackerEvents,
  TrackerOptions,
  TrackInput,
  Transition,
} from './tracker-types.js';
