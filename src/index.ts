/**
 * bluetick: WhatsApp webhook normalization and delivery tracking for the Cloud API, the
 * On-Premises API and WASenderApi.
 *
 * - {@link normalize}: any webhook body → canonical events (pure, synchronous).
 * - {@link createTracker}: canonical events → a convergent delivery state per message and
 *   recipient, typed events on real transitions, sinks.
 * - {@link createWebhookHandler}: the framework-agnostic HTTP core (adapters live in
 *   `bluetick/express`, `bluetick/fastify`, `bluetick/node`, `bluetick/web`, `bluetick/lambda`).
 * - {@link verifyMetaSignature}, {@link verifyWasenderSignature}, {@link handleVerificationChallenge}.
 *
 * @packageDocumentation
 */

// Normalizing
export { normalize } from './normalize.js';
export type { NormalizeOptions } from './normalize.js';
export { detectProvider } from './providers/detect.js';
export { eventSchema } from './event/schema.js';
export { classifyErrorCode } from './event/error-classes.js';
export type * from './event/types.js';

// Verifying
export { verifyMetaSignature, assertMetaSignature, signMetaPayload } from './verify/meta.js';
export { verifyWasenderSignature, assertWasenderSignature, verifySharedToken } from './verify/shared-secret.js';
export type { TokenInput } from './verify/shared-secret.js';
export type { RawBody } from './verify/body-bytes.js';
export { handleVerificationChallenge } from './verify/challenge.js';
export type { ChallengeQuery, ChallengeResult, ChallengeFailureReason } from './verify/challenge.js';
export { escapeNonAscii } from './verify/escape.js';
export { diagnoseMetaSignature } from './verify/diagnose-node.js';
export type { SignatureDiagnostic, SignatureDiagnosticCode } from './verify/diagnose.js';
export { SignatureError } from './verify/errors.js';
export type { SignatureErrorCode } from './verify/errors.js';
export type {
  HeaderSource,
  MetaSignatureHeaders,
  MetaSignatureInput,
  MetaSignatureResult,
  MetaSignatureSuccess,
  MetaVerifyOptions,
  Secrets,
  SharedSecretResult,
  SignatureFailure,
  SignatureFailureReason,
} from './verify/types.js';

// Receiving (framework-agnostic core; adapters are subpaths)
export { createWebhookHandler } from './http/handler.js';
export type * from './http/types.js';

// Tracking
export {
  createTracker,
  applyEvent,
  merge,
  observe,
  present,
  presentedEquals,
  presentedStatus,
  samePresentation,
  trackingKey,
  parseTrackingKey,
  rankOf,
  RANK,
  RANK_STATUS,
  MAX_ERRORS,
  MAX_ANNOTATIONS,
  MAX_TAGS,
  TrackingError,
} from './tracking/index.js';
export type {
  Tracker,
  TrackerEvents,
  TrackerOptions,
  IngestInput,
  IngestReport,
  Transition,
  StaleMessage,
  StaleOptions,
  StaleCheckOptions,
  StateQuery,
  TrackInput,
  GroupSummary,
  DeliveryState,
  PresentedState,
  PresentOptions,
  FailedPolicy,
  TrackMeta,
  ListenerFailure,
  TrackingErrorCode,
  TrackingKeyParts,
} from './tracking/index.js';

// Analytics and metrics
export type {
  FunnelQuery,
  FunnelReport,
  FunnelStats,
  FunnelBucket,
  LatencyStats,
  FailureCount,
  PricingCount,
  InteractionStat,
  RevenueStat,
  InteractionRecord,
  ConversionInput,
  ConversionRecord,
  StoreFunnelQuery,
  TimeInput,
} from './analytics/types.js';
export { AnalyticsError } from './analytics/errors.js';
export type { AnalyticsErrorCode } from './analytics/errors.js';
export { computeFunnel } from './analytics/memory-funnel.js';
export type { MetricsHook, WebhookOutcome } from './metrics/hook.js';

// Storage
export { memoryStore } from './storage/memory-store.js';
export type { MemoryStore, MemoryStoreOptions, MemoryStoreStats } from './storage/memory-store.js';
export type { StorageAdapter, MergeItem, MergeResult, StaleQuery, MessageRef } from './storage/adapter.js';

// Sinks (built-in sinks with optional peers are subpaths: bluetick/sinks/*)
export { createDispatcher } from './sinks/dispatcher.js';
export type { Dispatcher, DispatcherOptions, DispatcherErrorPhase } from './sinks/dispatcher.js';
export type { RetryPolicy } from './sinks/deliver.js';
export { SinkError, PartialBatchError, isRetryableSinkError } from './sinks/errors.js';
export type { Sink, WriteContext, DeadLetterSink, DeadLetterInfo, DeadLetterDetails, DeadLetterReason } from './sinks/types.js';
export type { SinkStats, DispatcherStats } from './sinks/stats.js';
export { callbackSink } from './sinks/callback.js';
export { verifyHttpSinkSignature } from './sinks/http-signature.js';

// Privacy
export { createRedactor, maskId } from './privacy/redact.js';
export type { RedactionPolicy, Redactor } from './privacy/redact.js';
export { redactedSink } from './privacy/redacted-sink.js';

// Errors
export { BluetickError, NormalizeError, ConfigError, StorageError } from './errors.js';
export type { NormalizeErrorCode } from './errors.js';
