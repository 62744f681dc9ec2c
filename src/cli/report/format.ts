import type { DeliveryReport, Percentiles } from './model.js';
import { count, duration, heading, percent, table } from './table.js';

function latencyRow(label: string, p: Percentiles | null): Array<string | number> {
  if (p === null) return [label, '—', '', '', ''];
  return [label, p.n, duration(p.p50), duration(p.p90), duration(p.p99)];
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

/**
 * Renders a {@link DeliveryReport} as aligned plain text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(buildReport({ states })));
 * ```
 */
export function formatReport(report: DeliveryReport, title = 'Delivery report'): string {
  const out: string[] = [heading(title)];
  if (report.http !== null) out.push('HTTP responses', ...formatHttp(report.http), '');
  const e = report.events;
  if (e !== null) {
    out.push(
      'Events',
      ...table(
        [
          ['received', e.received, 'messages', e.byKind.message],
          ['accepted', e.accepted, 'statuses', e.byKind.status],
          ['duplicates dropped', e.duplicates, 'errors', e.byKind.error],
          ['state transitions', e.transitions, 'notifications', e.byKind.notification],
        ],
        ['l', 'r', 'l', 'r'],
      ),
      '',
    );
  }
  const f = report.funnel;
  out.push(`Funnel (${count(f.total)} ${f.scope === 'tracked' ? 'tracked messages' : 'message states, none tracked'})`);
  out.push(
    ...table(
      [
        ['stage', 'messages', 'rate'],
        ['sent', f.sent, percent(f.sent, f.total)],
        ['delivered', f.delivered, percent(f.delivered, f.total)],
        ['read', f.read, percent(f.read, f.total)],
        ['failed', f.failed, percent(f.failed, f.total)],
        ['still pending', f.pending, percent(f.pending, f.total)],
      ],
      ['l', 'r', 'r'],
    ),
    '',
  );
  out.push(
    'Latency (from sent)',
    ...table([['', 'n', 'p50', 'p90', 'p99'], latencyRow('to delivered', report.latency.toDelivered), latencyRow('to read', report.latency.toRead)], ['l', 'r', 'r', 'r', 'r']),
    '',
  );
  if (report.failures.length > 0) {
    const rows: Array<Array<string | number>> = [['code', 'class', 'messages', 'title']];
    for (const r of report.failures) rows.push([r.code, r.class, r.count, r.title.length > 60 ? `${r.title.slice(0, 57)}...` : r.title]);
    out.push('Failures by error code', ...table(rows, ['l', 'l', 'r', 'l']), '');
  }
  if (report.buttons.length > 0) {
    const rows: Array<Array<string | number>> = [['button', 'clicks', 'on tracked messages']];
    for (const b of report.buttons) rows.push([b.title, b.clicks, b.onTracked]);
    out.push('Button replies', ...table(rows, ['l', 'r', 'r']), '');
  }
  if (report.campaigns.length > 0) {
    const rows: Array<Array<string | number>> = [['campaign', 'messages', 'delivered', 'read', 'failed']];
    for (const c of report.campaigns) rows.push([c.campaign, c.total, percent(c.delivered, c.total), percent(c.read, c.total), percent(c.failed, c.total)]);
    out.push('Campaigns', ...table(rows, ['l', 'r', 'r', 'r', 'r']), '');
  }
  return out.join('\n') + '\n';
}
