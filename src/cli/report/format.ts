import type { FunnelReport, LatencyStats } from '../../analytics/types.js';
import type { DeliveryReport } from './model.js';
import { count, duration, heading, percent, table } from './table.js';

function latencyRow(label: string, l: LatencyStats): Array<string | number> {
  if (l.count === 0 || l.p50 === null) return [label, 0, '—', '—', '—'];
  return [label, l.count, duration(l.p50), duration(l.p90 ?? 0), duration(l.p99 ?? 0)];
}

/** The HTTP status code section (shared with `bluetick replay`). */
export function formatHttp(byStatus: Record<string, number>): string[] {
  const codes = Object.keys(byStatus).sort();
  const total = codes.reduce((n, c) => n + (byStatus[c] ?? 0), 0);
  const rows: Array<Array<string | number>> = [['status', 'requests', 'share']];
  for (const c of codes) rows.push([c, byStatus[c] ?? 0, percent(byStatus[c] ?? 0, total)]);
  rows.push(['total', total, '']);
  return table(rows, ['l', 'r', 'r']);
}

function funnelLines(f: FunnelReport): string[] {
  return table(
    [
      ['stage', 'states', 'of all'],
      ['sent', f.sent, percent(f.sent, f.total)],
      ['delivered', f.delivered, percent(f.delivered, f.total)],
      ['read', f.read, percent(f.read, f.total)],
      ['failed', f.failed, percent(f.failed, f.total)],
      ['not (yet) sent', f.total - f.sent, percent(f.total - f.sent, f.total)],
    ],
    ['l', 'r', 'r'],
  );
}

/**
 * Renders a {@link DeliveryReport} as aligned plain text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(await buildReport(tracker)));
 * ```
 */
export function formatReport(report: DeliveryReport, title = 'Delivery report'): string {
  const out: string[] = [heading(title)];
  if (report.http !== null) out.push('HTTP responses', ...formatHttp(report.http), '');
  const e = report.events;
  if (e !== null) {
    out.push(
      'Events in the webhooks received',
      ...table(
        [
          ['', 'events'],
          ['received', e.received],
          ['accepted (new)', e.accepted],
          ['duplicates (same event id again)', e.duplicates],
        ],
        ['l', 'r'],
      ),
      'Accepted events by kind',
      ...table(
        [
          ['kind', 'events'],
          ['messages', e.byKind.message],
          ['statuses', e.byKind.status],
          ['errors', e.byKind.error],
          ['notifications', e.byKind.notification],
        ],
        ['l', 'r'],
      ),
      `  ${count(e.transitions)} status transitions and ${count(e.changes)} other state changes were emitted.`,
      '  Duplicates are provider retries and replays of events already accepted: nothing is emitted for them.',
      '',
    );
  }
  const all = report.all;
  const tracked = report.tracked?.total ?? 0;
  out.push(`Every delivery state (${count(all.total)}: ${count(tracked)} tracked by the host with track(), ${count(report.webhookOnly)} seen only in webhooks)`);
  out.push(...funnelLines(all), '');
  if (report.tracked !== null) out.push(`Tracked messages only (${count(report.tracked.total)})`, ...funnelLines(report.tracked), '');
  out.push(
    'Latency from sent, by the provider\u2019s own timestamps (states with estimated times left out)',
    ...table([['', 'states', 'p50', 'p90', 'p99'], latencyRow('to delivered', all.latency.sentToDelivered), latencyRow('to read', all.latency.sentToRead)], ['l', 'r', 'r', 'r', 'r']),
    '',
  );
  if (all.failures.byCode.length > 0) {
    const rows: Array<Array<string | number>> = [['code', 'class', 'failed states']];
    for (const r of all.failures.byCode) rows.push([r.code, r.class, r.count]);
    out.push('Failures by error code (every state)', ...table(rows, ['l', 'l', 'r']), '');
  }
  if (all.interactions.length > 0) {
    const rows: Array<Array<string | number>> = [['reply', 'kind', 'replies', 'messages answered', 'click-through']];
    for (const i of all.interactions) rows.push([i.title ?? i.replyId ?? '(untitled)', i.kind, i.replies, i.messages, i.clickThroughRate === null ? '—' : `${(i.clickThroughRate * 100).toFixed(1)}%`]);
    out.push('Replies to buttons and lists', ...table(rows, ['l', 'l', 'r', 'r', 'r']), '');
  }
  if (all.revenue.length > 0) {
    const rows: Array<Array<string | number>> = [['campaign', 'currency', 'revenue', 'conversions']];
    for (const r of all.revenue) rows.push([r.campaign ?? '(none)', r.currency, r.value.toFixed(2), r.conversions]);
    out.push('Revenue', ...table(rows, ['l', 'l', 'r', 'r']), '');
  }
  return out.join('\n') + '\n';
}
