/**
 * `bluetick/metrics`: the metrics hook and its Prometheus adapter (prom-client, optional peer).
 *
 * @packageDocumentation
 */
export { prometheusMetrics, loadPrometheusMetrics } from './prometheus.js';
export type { PrometheusMetricsOptions, PromClientLike, CounterLike, GaugeLike, HistogramLike, Labels } from './prometheus.js';
export type { MetricsHook, WebhookOutcome } from './hook.js';
