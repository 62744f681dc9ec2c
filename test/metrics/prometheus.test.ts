/** Prometheus counters, read back from a real prom-client registry, match what bluetick reports. */
import * as client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDispatcher, createTracker, createWebhookHandler, signMetaPayload, SinkError, type IngestReport, type Sink } from '../../src/index.js';
import { rankOf } from '../../src/state/state.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { loadPrometheusMetrics, prometheusMetrics } from '../../src/metrics/index.js';
import { generateTraffic, T0 } from '../analytics/traffic.js';

async function value(registry: client.Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x) && !String((v as { metricName?: string }).metricName ?? '').endsWith('_bucket')).reduce((s, v) => s + v.value, 0);
}

describe('prometheusMetrics', () => {
  it('tracker counters equal the summed ingest reports; prevented downgrades equal a direct replay', async () => {
    const registry = new client.Registry();
    const metrics = prometheusMetrics({ client, registry });
    const tracker = createTracker({ metrics, now: () => T0 });
    let transitions = 0;
    tracker.on('transition', () => void transitions++);
    const traffic = generateTraffic(300, 5);
    for (const t of traffic.tracks) await tracker.track(t);
    const reports: IngestReport[] = [];
    for (const b of traffic.batches) reports.push(await tracker.ingest(b));
    const sum = (f: (r: IngestReport) => number) => reports.reduce((s, r) => s + f(r), 0);
    for (const kind of ['message', 'status'] as const) expect(await value(registry, 'bluetick_events_total', { kind })).toBe(sum((r) => r.byKind[kind]));
    expect(sum((r) => r.byKind.message)).toBeGreaterThan(10);
    expect(await value(registry, 'bluetick_duplicates_total')).toBe(sum((r) => r.duplicates));
    expect(sum((r) => r.duplicates)).toBeGreaterThan(10);
    expect(await value(registry, 'bluetick_transitions_total')).toBe(transitions);
    expect(transitions).toBe(sum((r) => r.transitions) + traffic.tracks.length);

    // Replay: the highest rank seen per message before each new status event.
    const best = new Map<string, number>(traffic.tracks.map((t) => [t.messageId, 1]));
    const seen = new Set<string>();
    let prevented = 0;
    for (const e of traffic.batches.flat() as CanonicalEvent[]) {
      if (e.kind !== 'status' || seen.has(e.id)) continue;
      seen.add(e.id);
      const r = rankOf(e.status);
      const before = best.get(e.messageId);
      if (before !== undefined && r > 0 && r < before) prevented++;
      best.set(e.messageId, Math.max(before ?? 0, r));
    }
    expect(prevented).toBeGreaterThan(5);
    expect(await value(registry, 'bluetick_prevented_downgrades_total')).toBe(prevented);
    await tracker.close();
  });

  it('handler: one webhook count and latency sample per POST, signature failures by reason', async () => {
    const registry = new client.Registry();
    const metrics = prometheusMetrics({ client, registry, prefix: 'wa_' });
    const handle = createWebhookHandler({ cloud: { appSecret: 's3cret' }, tracker: createTracker(), metrics, logger: { warn() {}, error() {} } });
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'waba1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn1' }, statuses: [{ id: 'wamid.X', status: 'sent', timestamp: '1700000000', recipient_id: '1555' }] } }] }] });
    const post = (headers: Record<string, string>, raw = body) => handle({ method: 'POST', url: '/wh', headers, rawBody: Buffer.from(raw) });
    expect((await post({ 'x-hub-signature-256': signMetaPayload(body, 's3cret') })).status).toBe(200);
    expect((await post({ 'x-hub-signature-256': signMetaPayload(body, 'wrong') })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    const bad = 'not json';
    expect((await post({ 'x-hub-signature-256': signMetaPayload(bad, 's3cret') }, bad)).status).toBe(400);
    expect(await value(registry, 'wa_webhooks_total', { provider: 'cloud', outcome: 'accepted' })).toBe(1);
    expect(await value(registry, 'wa_webhooks_total', { outcome: 'unauthorized' })).toBe(2);
    expect(await value(registry, 'wa_webhooks_total', { outcome: 'bad_request' })).toBe(1);
    expect(await value(registry, 'wa_signature_failures_total')).toBe(2);
    const reasons = (await registry.getSingleMetric('wa_signature_failures_total')?.get())?.values.map((v) => v.labels.reason);
    expect(reasons?.every((r) => typeof r === 'string' && r !== 'unauthorized')).toBe(true);
    const hist = (await registry.getSingleMetric('wa_webhook_duration_seconds')?.get())?.values.filter((v) => (v as { metricName?: string }).metricName === 'wa_webhook_duration_seconds_count');
    expect(hist?.reduce((s, v) => s + v.value, 0)).toBe(4);
  });

  it('dispatcher: failures, retries, dead-lettered and shed equal dispatcher.stats()', async () => {
    const registry = new client.Registry();
    const metrics = await loadPrometheusMetrics({ registry });
    let calls = 0;
    const flaky: Sink = {
      name: 'flaky',
      async write(batch) {
        calls++;
        if (calls % 2 === 1) throw new Error('boom');
        if (batch.some((e) => e.id.endsWith('-bad'))) throw new SinkError('rejected', 'no', { retryable: false });
      },
    };
    const kept: CanonicalEvent[] = [];
    const dispatcher = createDispatcher({
      sinks: [flaky],
      metrics,
      batchSize: 5,
      flushIntervalMs: 0,
      maxQueue: 20,
      recoverEveryMs: 10,
      retry: { retries: 3, minTimeout: 1, maxTimeout: 2, randomize: false },
      deadLetter: { name: 'dlq', write: async (events) => void kept.push(...events) },
    });
    const events = generateTraffic(40, 3).batches.flat().map((e, i) => ({ ...e, id: i % 9 === 0 ? `${e.id}-${i}-bad` : `${e.id}-${i}` }));
    dispatcher.enqueue(events.slice(0, 60));
    // What a full lane shed comes back from the outbox; wait until every record is settled.
    for (let i = 0; i < 500; i++) {
      await dispatcher.flush();
      if (Object.keys((await dispatcher.outbox.stats()).pending).length === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const s = dispatcher.stats().sinks.flaky;
    expect(s?.shed).toBeGreaterThan(0);
    expect(s?.retried).toBeGreaterThan(0);
    expect((s?.delivered ?? 0) + (s?.deadLettered ?? 0)).toBe(60);
    expect(await value(registry, 'bluetick_sink_retries_total', { sink: 'flaky' })).toBe(s?.retried);
    expect(await value(registry, 'bluetick_shed_total', { sink: 'flaky' })).toBe(s?.shed);
    expect(await value(registry, 'bluetick_dead_lettered_total', { sink: 'flaky' })).toBe(s?.deadLettered);
    expect(s?.deadLettered).toBe(kept.length);
    expect(await value(registry, 'bluetick_sink_failures_total', { sink: 'flaky' })).toBe(calls - (s?.delivered ?? 0) / 5);
    expect(await value(registry, 'bluetick_queue_depth', { sink: 'flaky' })).toBe(0);
    await dispatcher.close();
  });

  it('refuses to start without a client module', () => {
    expect(() => prometheusMetrics({} as never)).toThrow(/client/);
  });
});
