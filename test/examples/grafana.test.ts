/**
 * examples/grafana: the provisioned dashboard is consistent with its data sources; every SQL panel
 * runs on real PostgreSQL over bluetick's analytics views (a unique schema filled with generated
 * traffic through createTracker + postgresStore) and agrees with `tracker.funnel()`; every PromQL
 * expression parses, and every metric and label it names exists in the registry bluetick fills.
 */
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import pg from 'pg';
import * as client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createTracker, createWebhookHandler, signMetaPayload, type FunnelReport, type Tracker } from '../../src/index.js';
import { prometheusMetrics } from '../../src/metrics/index.js';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { generateTraffic, T0 } from '../analytics/traffic.js';
import { POSTGRES_URL, postgresAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from '../storage/postgres-helpers.js';

const DAY = 86_400_000;
const dir = new URL('../../examples/grafana/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, dir), 'utf8');

interface Target {
  refId: string;
  datasource: { uid: string };
  rawSql?: string;
  format?: string;
  expr?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string;
  datasource?: { uid: string };
  multi?: boolean;
  includeAll?: boolean;
}
const dashboard = JSON.parse(read('dashboards/bluetick.json')) as { uid: string; panels: Panel[]; templating: { list: Variable[] } };
const datasources = (parseYaml(read('provisioning/datasources/bluetick.yaml')) as { datasources: { uid: string; type: string }[] }).datasources;
const providers = (parseYaml(read('provisioning/dashboards/bluetick.yaml')) as { providers: { type: string; options: { path: string } }[] }).providers;

const PG_UID = 'bluetick-postgres';
const PROM_UID = 'bluetick-prometheus';
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const sqlPanels = panels.filter((p) => p.datasource?.uid === PG_UID);
const promPanels = panels.filter((p) => p.datasource?.uid === PROM_UID);
const panel = (title: string) => {
  const found = sqlPanels.find((p) => p.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};

describe('examples/grafana: provisioning and dashboard structure', () => {
  it('every panel and variable names a provisioned data source; panel ids are unique', () => {
    expect(datasources.map((d) => [d.uid, d.type]).sort()).toEqual([
      [PG_UID, 'grafana-postgresql-datasource'],
      [PROM_UID, 'prometheus'],
    ]);
    expect(providers[0]).toMatchObject({ type: 'file' });
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of panels) {
      expect([PG_UID, PROM_UID], p.title).toContain(p.datasource?.uid);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.datasource.uid).toBe(p.datasource?.uid);
        expect(p.datasource?.uid === PG_UID ? t.rawSql : t.expr, `${p.title} ${t.refId}`).toBeTruthy();
      }
    }
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) expect(v.datasource?.uid).toBe(PG_UID);
    expect(sqlPanels.length).toBeGreaterThanOrEqual(7);
    expect(promPanels.length).toBeGreaterThanOrEqual(5);
  });
});

/** Grafana's SQL interpolation for the macros and variables this dashboard uses; anything else is an error. */
function interpolate(sql: string, vars: Record<string, string | string[]>, range: { from: Date; to: Date }): string {
  let out = sql.replace(/\$__timeFilter\(([^)]+)\)/g, (_, col: string) => `${col.trim()} BETWEEN '${range.from.toISOString()}' AND '${range.to.toISOString()}'`);
  out = out.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (value === undefined) throw new Error(`unknown variable ${whole} in: ${sql}`);
    // Multi-value variables are quoted and joined, as Grafana's SQL data sources do.
    return Array.isArray(value) ? value.map((v) => `'${v.replace(/'/g, "''")}'`).join(',') : value;
  });
  expect(out).not.toContain('$');
  return out;
}

const postgresUp = await postgresAvailable();

describeIf(postgresUp, SKIP_REASONS.postgres, 'examples/grafana: every SQL panel on real PostgreSQL, against tracker.funnel()', () => {
  const schema = uniqueSchema('grafana');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  const store = postgresStore({ pool, schema, claimCleanupIntervalMs: 0 });
  let tracker: Tracker;
  const range = { from: new Date(T0 - DAY), to: new Date(T0 + 4 * DAY) };
  let all: Record<string, string[]>;
  let report: FunnelReport;

  beforeAll(async () => {
    tracker = createTracker({ store, now: () => T0 + 4 * DAY, closeStore: false });
    const traffic = generateTraffic(500, 23);
    for (const t of traffic.tracks) await tracker.track(t);
    for (const b of traffic.batches) await tracker.ingest(b);
    for (const c of traffic.conversions) await tracker.recordConversion(c.messageId, c.input);
    report = await tracker.funnel({ from: range.from, to: range.to });
    // "All" of each query variable: the options its own query returns.
    all = {};
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const { rows } = await pool.query({ text: interpolate(v.query, { schema, prefix: 'bluetick_' }, range), rowMode: 'array' });
      all[v.name] = rows.map((r: unknown[]) => String(r[0]));
    }
  }, 120_000);

  afterAll(async () => {
    await tracker?.close();
    await store.close();
    await dropSchema(schema);
    await pool.end();
  });

  const run = async (title: string, vars: Record<string, string[]> = {}) => {
    const sql = interpolate(panel(title).targets![0]!.rawSql!, { schema, prefix: 'bluetick_', ...all, ...vars }, range);
    return (await pool.query(sql)).rows as Record<string, unknown>[];
  };
  const num = (v: unknown) => (v === null ? null : Number(v));

  it('the variables list the providers, accounts and campaigns of the traffic', () => {
    expect(all.provider).toEqual(['cloud']);
    expect(all.account).toEqual(['waba1', 'waba2']);
    expect(all.campaign).toEqual(['(none)', 'spring', 'spring-b', 'winter']);
  });

  it('every SQL panel runs and returns rows, with All and with one campaign selected', async () => {
    for (const p of sqlPanels) {
      for (const vars of [{}, { campaign: ['spring'] }] as Record<string, string[]>[]) {
        for (const t of p.targets ?? []) {
          const sql = interpolate(t.rawSql!, { schema, prefix: 'bluetick_', ...all, ...vars }, range);
          const { rows } = await pool.query(sql);
          expect(rows.length, `${p.title} ${JSON.stringify(vars)}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('the funnel panel equals tracker.funnel(), for everything and for one campaign', async () => {
    const counts = (r: { total: number; sent: number; delivered: number; read: number; played: number; failed: number }) => [r.total, r.sent, r.delivered, r.read, r.played, r.failed];
    const [row] = await run('Delivery funnel');
    expect(Object.values(row!).map(num)).toEqual(counts(report));
    expect(report.failed).toBeGreaterThan(0);
    const [spring] = await run('Delivery funnel', { campaign: ['spring'] });
    expect(Object.values(spring!).map(num)).toEqual(counts(await tracker.funnel({ ...range, campaign: 'spring' })));
  });

  it('daily rates equal the funnel buckets', async () => {
    const byDay = await tracker.funnel({ ...range, groupBy: 'day' });
    const rows = await run('Delivery rates per day');
    expect(rows.map((r) => (r.time as Date).toISOString())).toEqual(byDay.buckets.map((b) => b.start));
    rows.forEach((r, i) => {
      const b = byDay.buckets[i]!;
      expect(num(r['delivered / sent'])).toBeCloseTo(b.rates.delivered as number, 12);
      expect(num(r['read / delivered'])).toBeCloseTo(b.rates.read as number, 12);
      expect(num(r['failed / tracked'])).toBeCloseTo(b.rates.failed as number, 12);
    });
  });

  it('time-to-deliver and time-to-read percentiles of a group equal the funnel latencies of that group, per day', async () => {
    const group = await tracker.funnel({ ...range, campaign: 'spring', accountId: 'waba1', groupBy: 'day' });
    for (const [title, key] of [
      ['Time to deliver (sent → delivered)', 'sentToDelivered'],
      ['Time to read (sent → read)', 'sentToRead'],
    ] as const) {
      const rows = (await run(title)).filter((r) => r.metric === 'spring · cloud · waba1');
      const expected = group.buckets.filter((b) => b.latency[key].count > 0);
      expect(rows.map((r) => (r.time as Date).toISOString())).toEqual(expected.map((b) => b.start));
      rows.forEach((r, i) => {
        expect(num(r.p50)).toBe((expected[i]!.latency[key].p50 as number) / 1000);
        expect(num(r.p90)).toBe((expected[i]!.latency[key].p90 as number) / 1000);
      });
    }
  });

  it('failures by class and by code equal the funnel failures', async () => {
    const byClass = Object.fromEntries((await run('Failures by class')).map((r) => [r.class, num(r.failed)]));
    expect(byClass).toEqual(Object.fromEntries(Object.entries(report.failures.byClass).filter(([, n]) => n > 0)));
    const byCode = (await run('Failures by error code')).map((r) => ({ code: r.code, class: r.class, count: num(r.failed) }));
    const sort = (xs: { code: unknown; class: unknown; count: number | null }[]) => [...xs].sort((a, b) => String(a.code).localeCompare(String(b.code)));
    expect(sort(byCode)).toEqual(sort(report.failures.byCode));
  });

  it('button and list replies equal the funnel interactions; the reply rate divides by the campaign deliveries', async () => {
    const rows = await run('Button and list reply rates');
    const sum = (key: string, pick: (r: Record<string, unknown>) => string) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(pick(r), (m.get(pick(r)) ?? 0) + Number(r[key]));
      return m;
    };
    const byReply = (r: Record<string, unknown>) => `${r.kind}/${r['reply id']}`;
    const expected = new Map(report.interactions.map((i) => [`${i.kind}/${i.replyId ?? ''}`, i]));
    expect([...sum('replies', byReply).entries()].sort()).toEqual([...expected.entries()].map(([k, i]) => [k, i.replies]).sort());
    expect([...sum('messages answered', byReply).entries()].sort()).toEqual([...expected.entries()].map(([k, i]) => [k, i.messages]).sort());
    const [spring] = await run('Delivery funnel', { campaign: ['spring'] });
    const springDelivered = Number(spring!.Delivered);
    for (const r of rows.filter((r) => r.campaign === 'spring')) expect(num(r['reply rate'])).toBeCloseTo(Number(r['messages answered']) / springDelivered, 12);
  });
});

/** Names in a PromQL expression: metrics (vector selectors) and labels (matchers, by/without). */
function promqlNames(expr: string): { metrics: string[]; labels: Array<{ name: string; metric?: string }>; matchers: Array<{ metric: string; label: string; value: string }> } {
  // Grafana's range variables, replaced as Grafana would before the query reaches Prometheus.
  const query = expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m');
  expect(query).not.toContain('$');
  const tree = parser.parse(query);
  const metrics: string[] = [];
  const labels: Array<{ name: string; metric?: string }> = [];
  const matchers: Array<{ metric: string; label: string; value: string }> = [];
  const text = (from: number, to: number) => query.slice(from, to);
  let errors = 0;
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors++;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        const metric = id ? text(id.from, id.to) : '';
        metrics.push(metric);
        const list = node.node.getChild('LabelMatchers');
        for (const m of list?.getChildren('UnquotedLabelMatcher') ?? []) {
          const label = m.getChild('LabelName');
          const value = m.getChild('StringLiteral');
          if (label) labels.push({ name: text(label.from, label.to), metric });
          if (label && value && m.getChild('MatchOp')?.firstChild?.name !== 'EqlRegex' && m.getChild('MatchOp')?.firstChild?.name !== 'NeqRegex') {
            matchers.push({ metric, label: text(label.from, label.to), value: JSON.parse(text(value.from, value.to)) as string });
          }
        }
      }
      if (node.name === 'GroupingLabels') for (const l of node.node.getChildren('LabelName')) labels.push({ name: text(l.from, l.to) });
    },
  });
  expect(errors, `PromQL does not parse: ${expr}`).toBe(0);
  return { metrics, labels, matchers };
}

describe('examples/grafana: every PromQL expression names metrics bluetick registers', () => {
  it('parses, and each metric, label and label value exists in a registry filled by real traffic', async () => {
    const registry = new client.Registry();
    const metrics = prometheusMetrics({ client, registry });
    // Traffic: an accepted and an unauthorized webhook, so label values are real observations.
    const tracker = createTracker({ metrics });
    const handle = createWebhookHandler({ cloud: { appSecret: 's3cret' }, tracker, metrics, logger: { warn() {}, error() {} } });
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'waba1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn1' }, statuses: [{ id: 'wamid.X', status: 'sent', timestamp: '1700000000', recipient_id: '1555' }] } }] }] });
    expect((await handle({ method: 'POST', url: '/wh', headers: { 'x-hub-signature-256': signMetaPayload(body, 's3cret') }, rawBody: Buffer.from(body) })).status).toBe(200);
    expect((await handle({ method: 'POST', url: '/wh', headers: {}, rawBody: Buffer.from(body) })).status).toBe(401);
    await tracker.close();

    const observed = new Map<string, Set<string>>();
    for (const m of await registry.getMetricsAsJSON()) {
      for (const v of m.values) for (const [label, value] of Object.entries(v.labels)) observed.set(`${m.name}/${label}`, (observed.get(`${m.name}/${label}`) ?? new Set()).add(String(value)));
    }
    const resolve = (name: string) => {
      const base = name.replace(/_(bucket|sum|count)$/, '');
      const metric = registry.getSingleMetric(name) ?? (base !== name ? registry.getSingleMetric(base) : undefined);
      expect(metric, `metric ${name} is not in bluetick's registry`).toBeDefined();
      return { base: metric === registry.getSingleMetric(name) ? name : base, metric: metric as unknown as { labelNames: string[]; type?: string } };
    };
    const used = new Set<string>();
    for (const p of promPanels) {
      for (const t of p.targets ?? []) {
        const { metrics: names, labels, matchers } = promqlNames(t.expr!);
        expect(names.length, t.expr).toBeGreaterThan(0);
        const known = new Set<string>(['le']);
        for (const name of names) {
          used.add(name);
          const { metric } = resolve(name);
          for (const l of metric.labelNames) known.add(l);
        }
        for (const l of labels) expect(known.has(l.name), `label ${l.name} in ${t.expr}`).toBe(true);
        for (const m of matchers) {
          const { base } = resolve(m.metric);
          expect(observed.get(`${base}/${m.label}`)?.has(m.value), `${m.label}="${m.value}" never emitted by ${base}`).toBe(true);
        }
      }
    }
    // The dashboard covers the webhook, delivery and sink families.
    for (const name of ['bluetick_webhooks_total', 'bluetick_webhook_duration_seconds_bucket', 'bluetick_signature_failures_total', 'bluetick_transitions_total', 'bluetick_dead_lettered_total', 'bluetick_queue_depth']) {
      expect(used.has(name), name).toBe(true);
    }
  });
});
