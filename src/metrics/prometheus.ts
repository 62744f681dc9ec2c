/**
 * `bluetick/metrics`: a {@link MetricsHook} that records into prom-client counters, a gauge and a
 * histogram. prom-client is an optional peer: pass the module you import (`prometheusMetrics`),
 * or let `loadPrometheusMetrics` import it lazily; this file itself imports nothing from it.
 *
 * @packageDocumentation
 */
import { ConfigError } from '../errors.js';
import { importOptionalPeer } from '../internal/optional-peer.js';
import type { MetricsHook } from './hook.js';

export type Labels = Record<string, string>;
export interface CounterLike {
  inc(labels: Labels, value?: number): void;
  inc(value?: number): void;
}
export interface GaugeLike {
  set(labels: Labels, value: number): void;
}
export interface HistogramLike {
  observe(labels: Labels, value: number): void;
}
interface MetricConfig {
  name: string;
  help: string;
  labelNames?: string[];
  registers?: unknown[];
  buckets?: number[];
}

// prom-client's constructors take its own Registry types; `any` here keeps the optional peer's
// types out of bluetick's declarations while accepting the real module.
/* eslint-disable @typescript-eslint/no-explicit-any */
/** The part of the prom-client module used here (`import * as client from 'prom-client'`). */
export interface PromClientLike {
  Counter: new (config: any) => CounterLike;
  Gauge: new (config: any) => GaugeLike;
  Histogram: new (config: any) => HistogramLike;
  register: unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Options of {@link prometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** The prom-client module. */
  client: PromClientLike;
  /** Registry to register into. Default prom-client's global `register`. */
  registry?: unknown;
  /** Metric name prefix. Default `bluetick_`. */
  prefix?: string;
  /** Handler latency buckets, in seconds. Default 1 ms … 10 s. */
  latencyBuckets?: number[];
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the Prometheus metrics hook. Give it to `createTracker`, `createWebhookHandler` and
 * `createDispatcher` (a tracker passes it on to its own dispatcher). Metric names, with the
 * default prefix: `bluetick_webhooks_total{provider,outcome}`, `bluetick_signature_failures_total{provider,reason}`,
 * `bluetick_events_total{kind}`, `bluetick_duplicates_total`, `bluetick_transitions_total{status}`,
 * `bluetick_prevented_downgrades_total`, `bluetick_sink_failures_total{sink}`,
 * `bluetick_sink_retries_total{sink}`, `bluetick_dead_lettered_total{sink}`, `bluetick_shed_total{sink}`,
 * `bluetick_queue_depth{sink}`, `bluetick_webhook_duration_seconds{provider,outcome}`, and for
 * reconciliation (`bluetick/reconcile`) `bluetick_reconcile_checked_total{source}`,
 * `bluetick_reconcile_changed_total{source}`, `bluetick_reconcile_failed_total{source}`,
 * `bluetick_reconcile_rate_limited_total{source}`, `bluetick_reconcile_expired_total`.
 *
 * @example
 * ```ts
 * import * as client from 'prom-client';
 * import { createTracker, createWebhookHandler } from 'bluetick';
 * import { prometheusMetrics } from 'bluetick/metrics';
 *
 * const metrics = prometheusMetrics({ client });
 * const tracker = createTracker({ metrics });
 * const handler = createWebhookHandler({ cloud: { appSecret }, tracker, metrics });
 * app.get('/metrics', async (_req, res) => res.type('text/plain').send(await client.register.metrics()));
 * ```
 */
export function prometheusMetrics(options: PrometheusMetricsOptions): MetricsHook {
  // `options?`: plain-JS callers may pass nothing; they get the ConfigError, not a TypeError.
  const client = (options as PrometheusMetricsOptions | undefined)?.client;
  if (client === undefined || typeof client.Counter !== 'function') {
    throw new ConfigError(
      'invalid_option',
      "prometheusMetrics(): pass { client } (import * as client from 'prom-client'), or use loadPrometheusMetrics(). bluetick/metrics needs the optional peer dependency `prom-client`: npm install prom-client",
    );
  }
  const prefix = options.prefix ?? 'bluetick_';
  const registers = [options.registry ?? client.register];
  const counter = (name: string, help: string, labelNames: string[] = []) => new client.Counter({ name: prefix + name, help, labelNames, registers } satisfies MetricConfig);
  const webhooks = counter('webhooks_total', 'Webhook POSTs answered, by provider and outcome.', ['provider', 'outcome']);
  const signatures = counter('signature_failures_total', 'Webhook POSTs refused for their signature or token.', ['provider', 'reason']);
  const events = counter('events_total', 'Accepted (new) canonical events, by kind.', ['kind']);
  const duplicates = counter('duplicates_total', 'Events dropped as already seen.');
  const transitions = counter('transitions_total', 'Presented delivery-state transitions, by status after.', ['status']);
  const downgrades = counter('prevented_downgrades_total', 'Status observations below the current rank that the merge absorbed.');
  const sinkFailures = counter('sink_failures_total', 'Failed sink write attempts.', ['sink']);
  const retries = counter('sink_retries_total', 'Events re-sent to a sink by retry attempts.', ['sink']);
  const deadLettered = counter('dead_lettered_total', 'Records moved to the outbox dead-letter list.', ['sink']);
  const shed = counter('shed_total', 'Records a full sink lane handed back to the outbox for later delivery.', ['sink']);
  const checked = counter('reconcile_checked_total', 'Stale states a reconciliation asked its source about.', ['source']);
  const changed = counter('reconcile_changed_total', 'Checked states whose presented state a poll changed.', ['source']);
  const failed = counter('reconcile_failed_total', 'Checked states a reconciliation source could not answer for.', ['source']);
  const rateLimited = counter('reconcile_rate_limited_total', 'Rate-limit answers (HTTP 429) reconciliation sources met.', ['source']);
  const expired = counter('reconcile_expired_total', 'States reconciliation reported expired (past the horizon, never checkable).');
  const depth = new client.Gauge({ name: `${prefix}queue_depth`, help: 'Events waiting or in flight, per sink.', labelNames: ['sink'], registers } satisfies MetricConfig);
  const latency = new client.Histogram({
    name: `${prefix}webhook_duration_seconds`,
    help: 'Webhook handler latency (verify, normalize, ingest), by provider and outcome.',
    labelNames: ['provider', 'outcome'],
    buckets: options.latencyBuckets ?? DEFAULT_BUCKETS,
    registers,
  } satisfies MetricConfig);
  return {
    webhook(provider, outcome, latencyMs) {
      webhooks.inc({ provider, outcome });
      latency.observe({ provider, outcome }, latencyMs / 1000);
    },
    signatureFailure: (provider, reason) => signatures.inc({ provider, reason }),
    events: (kind, n) => events.inc({ kind }, n),
    duplicates: (n) => duplicates.inc(n),
    transition: (status) => transitions.inc({ status }),
    preventedDowngrade: () => downgrades.inc(),
    sinkFailure: (sink) => sinkFailures.inc({ sink }),
    retry: (sink, n) => retries.inc({ sink }, n),
    deadLettered: (sink, n) => deadLettered.inc({ sink }, n),
    shed: (sink, n) => shed.inc({ sink }, n),
    queueDepth: (sink, n) => depth.set({ sink }, n),
    reconcileChecked: (source, n) => checked.inc({ source }, n),
    reconcileChanged: (source, n) => changed.inc({ source }, n),
    reconcileFailed: (source, n) => failed.inc({ source }, n),
    reconcileRateLimited: (source) => rateLimited.inc({ source }),
    reconcileExpired: (n) => expired.inc(n),
  };
}

/**
 * Like {@link prometheusMetrics}, importing prom-client itself (it must be installed).
 *
 * @example
 * ```ts
 * const metrics = await loadPrometheusMetrics({ prefix: 'wa_' });
 * ```
 */
export async function loadPrometheusMetrics(options: Omit<PrometheusMetricsOptions, 'client'> & { client?: PromClientLike } = {}): Promise<MetricsHook> {
  let client = options.client;
  if (client === undefined) {
    const name = 'prom-client'; // a variable: bundlers must not pull the optional peer in
    const mod = (await importOptionalPeer('bluetick/metrics', name, () => import(name))) as PromClientLike & { default?: PromClientLike };
    client = typeof mod.Counter === 'function' ? mod : mod.default;
  }
  return prometheusMetrics({ ...options, client: client as PromClientLike });
}
