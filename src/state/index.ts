/**
 * `bluetick/state`: the delivery-state lattice, for those who write stores, ports or tools: the
 * state and its limits, `observe`, `merge`, `present`, the state key and the one change rule.
 * Everyday code uses `createTracker()` from `bluetick` instead.
 *
 * @packageDocumentation
 */
export {
  RANK,
  RANK_STATUS,
  DELIVERED_RANK,
  MAX_ERRORS,
  MAX_ANNOTATIONS,
  MAX_TAGS,
  TIME_FIELDS,
  rankOf,
  atOfRank,
  accountOf,
  recipientOf,
} from './state.js';
export type { DeliveryState, Rank, TrackMeta, TimeField, ProgressStatus } from './state.js';
export { observe, cleanError, compareErrors } from './observe.js';
export { merge, applyEvent, compareBilling } from './merge.js';
export { present, presentedStatus, hasFailure } from './present.js';
export type { FailedPolicy, PresentedState, PresentOptions } from './present.js';
export { changeKind, classifyChange, samePresentation } from './change.js';
export type { ChangeKind, StateChange } from './change.js';
export { stateKey, parseStateKey } from './key.js';
export type { StateIdentity } from './key.js';
export { trackedObservation, normalizeRecipient } from './track.js';
export type { TrackedSend } from './track.js';
