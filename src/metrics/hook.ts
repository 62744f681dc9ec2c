/**
 * The metrics hook: a plain object of optional callbacks that the tracker, the webhook handler and
 * the dispatcher call as things happen. The core depends on nothing; `bluetick/metrics` adapts it
 * to Prometheus, and any other backend (StatsD, OpenTelemetry) is a dozen lines.
 *
 * Calls are synchronous and must be cheap; a hook that throws is ignored (metrics never break
 * ingestion).
 *
 * @packageDocumentation
 */
import type { EventKind } from '../event/types.js';

/** How a webhook POST ended, by HTTP answer. */
export type WebhookOutcome = 'accepted' | 'unauthorized' | 'bad_request' | 'too_large' | 'unavailable' | 'error';

/**
 * Callbacks bluetick reports to. Every member is optional.
 *
 * @example
 * ```ts
 * const metrics: MetricsHook = {
 *   webhook: (provider, outcome, ms) => statsd.timing(`wa.webhook.${provider}.${outcome}`, ms),
 *   preventedDowngrade: () => statsd.increment('wa.prevented_downgrade'),
 * };
 * const tracker = createTracker({ metrics });
 * const handler = createWebhookHandler({ cloud: { appSecret }, tracker, metrics });
 * ```
 */
export interface MetricsHook {
  /** One webhook POST answered: provider (`unknown` when not established), outcome, handler latency. */
  webhook?(provider: string, outcome: WebhookOutcome, latencyMs: number): void;
  /** A POST refused for its signature or token (`reason` is the 401's error code). */
  signatureFailure?(provider: string, reason: string): void;
  /** Accepted (new) events of one kind in one ingested batch. */
  events?(kind: EventKind, n: number): void;
  /** Events dropped as already seen in one batch. */
  duplicates?(n: number): void;
  /** A presented-state transition, by the status after it. */
  transition?(status: string): void;
  /** A status observation below the state's rank (e.g. delivered after read) that the merge absorbed. */
  preventedDowngrade?(): void;
  /** A failed write attempt of a sink (each attempt counts). */
  sinkFailure?(sink: string): void;
  /** Events re-sent to a sink by a retry attempt. */
  retry?(sink: string, n: number): void;
  /** Records moved to the outbox's dead-letter list (retries exhausted, non-retryable, expired). */
  deadLettered?(sink: string, n: number): void;
  /** Records a full lane handed back to the outbox, to be delivered later (nothing is lost). */
  shed?(sink: string, n: number): void;
  /** Events waiting or in flight for a sink, after each change. */
  queueDepth?(sink: string, n: number): void;
  /** Stale states a reconciliation asked its source about (`source` is the source's name). */
  reconcileChecked?(source: string, n: number): void;
  /** Checked states whose presented state the poll changed (not counted on a dry run). */
  reconcileChanged?(source: string, n: number): void;
  /** Checked states the source could not answer for. */
  reconcileFailed?(source: string, n: number): void;
  /** A rate-limit answer (HTTP 429) a reconciliation source met. */
  reconcileRateLimited?(source: string): void;
  /** States a reconciliation reported `expired` (not counted on a dry run). */
  reconcileExpired?(n: number): void;
}

/**
 * Calls one hook member, swallowing what it throws.
 *
 * @example
 * ```ts
 * emit(options.metrics, 'duplicates', 3);
 * ```
 */
export function emit<K extends keyof MetricsHook>(hook: MetricsHook | undefined, name: K, ...args: Parameters<NonNullable<MetricsHook[K]>>): void {
  const fn = hook?.[name] as ((...a: unknown[]) => void) | undefined;
  if (fn === undefined) return;
  try {
    fn.apply(hook, args);
  } catch {
    // Metrics must never break ingestion or delivery.
  }
}
