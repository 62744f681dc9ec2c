/**
 * bluetick: WhatsApp webhook normalization and delivery tracking for the Cloud API, the
 * On-Premises API and WASenderApi. This entry is the everyday API:
 *
 * - {@link normalize}: any webhook body → canonical events (pure, synchronous).
 * - {@link createTracker}: canonical events → one convergent delivery state per message, typed
 *   events after each atomic store step, sinks fed from the store's outbox.
 * - {@link createWebhookHandler}: the framework-agnostic HTTP core (adapters live in
 *   `bluetick/express`, `bluetick/fastify`, `bluetick/node`, `bluetick/web`, `bluetick/lambda`).
 * - {@link verifyMetaSignature}, {@link verifyWasenderSignature}, {@link handleVerificationChallenge}.
 *
 * The lattice's building blocks, for those who write stores, are in `bluetick/state`; store
 * adapters, sinks, redaction (`bluetick/privacy`), metrics and the conformance suites each have
 * their own subpath.
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
export { escapeNonAscii } from './verify/escape.js';
export { verifyWasenderSignature, verifySharedToken } from './verify/shared-secret.js';
export type { TokenInput } from './verify/shared-secret.js';
export type { RawBody } from './verify/body-bytes.js';
export { handleVerificationChallenge } from './verify/challenge.js';
export type { ChallengeQuery, ChallengeResult, ChallengeFailureReason } from './verify/challenge.js';
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
export { createTracker } from './tracking/tracker.js';
export type { Tracker } from './tracking/tracker.js';
export { TrackingError } from './tracking/errors.js';
export type { TrackingErrorCode } from './tracking/errors.js';
export type { ListenerFailure } from './tracking/listeners.js';
export type { GroupCommitOptions } from './tracking/group-commit.js';
export type {
  ChangeOrigin,
  GroupSummary,
  IngestInput,
  IngestReport,
  MessageState,
  ParticipantSummary,
  StaleCheckOptions,
  StaleMessage,
  StaleOptions,
  StateQuery,
  TrackerEvents,
  TrackerOptions,
  TrackInput,
  Transition,
} from './tracking/tracker-types.js';
export type { DeliveryState, TrackMeta, ProgressStatus, TimeField } from './state/state.js';
export type { FailedPolicy, PresentedState } from './state/present.js';

// Storage
export { memoryStore } from './storage/memory-store.js';
export type { MemoryStore, MemoryStoreOptions, MemoryStoreStats } from './storage/memory-store.js';
export type { StateStore, IngestStep, IngestResult, MergeItem, MergeResult, StaleQuery, MessageRef, StatePage } from './storage/state-store.js';
export type { AnalyticsStore } from './storage/analytics-store.js';
export type { Outbox, OutboxRecord, OutboxStats, DeadLetterRecord, DeadLetterItem, DeadLetterReason } from './storage/outbox.js';
export { StorageError } from './errors.js';

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
export type { MetricsHook, WebhookOutcome } from './metrics/hook.js';
export type { OpenTelemetryApiLike, SpanContextLike, SpanLike, TracerLike, TraceAttributeValue } from './tracing/api.js';
export type { WriteTrace } from './tracing/delivery.js';

// Sinks (the built-in sinks, callbackSink included, are subpaths: bluetick/sinks/*)
export { createDispatcher } from './sinks/dispatcher.js';
export type { Dispatcher, DispatcherOptions, DispatcherErrorPhase } from './sinks/dispatcher.js';
export type { RetryPolicy } from './sinks/deliver.js';
export { SinkError, PartialBatchError, isRetryableSinkError } from './sinks/errors.js';
export type { Sink, WriteContext, DeadLetterSink, DeadLetterInfo, DeadLetterDetails } from './sinks/types.js';
export type { SinkStats, DispatcherStats } from './sinks/stats.js';

// Errors
export { BluetickError, NormalizeError, ConfigError } from './errors.js';
export type { NormalizeErrorCode } from './errors.js';
