/**
 * The demo's self-check: it generated the traffic, so it knows the state every message must end
 * in. Each check prints OK or MISMATCH; any mismatch makes the demo exit 1.
 */
import type { Tracker } from 'bluetick';
import type { DeliveryReport } from '../../src/cli/report/model.js';
import { count } from '../../src/cli/report/table.js';
import type { ReplaySummary } from '../../src/cli/replay/send.js';
import type { Campaign } from './campaign.js';
import type { Traffic } from './bodies.js';

/** One invariant and its outcome. */
export interface Check {
  ok: boolean;
  label: string;
  detail?: string;
}

/** What the checks compare. */
export interface CheckInput {
  campaign: Campaign;
  traffic: Traffic;
  tracker: Tracker;
  sent: ReplaySummary;
  report: DeliveryReport;
  /** Duplicates the tracker dropped while the campaign was replayed. */
  duplicatesDropped: number;
}

/** Runs every invariant. */
export async function checkInvariants(input: CheckInput): Promise<Check[]> {
  const { campaign, traffic, tracker, sent, report } = input;
  const checks: Check[] = [];
  checks.push({ ok: sent.failed === 0, label: `every campaign request answered 2xx (${sent.sent})`, detail: JSON.stringify(sent.byStatus) });

  const mismatches: string[] = [];
  let implied = 0;
  let impliedOk = 0;
  const failedByCode = new Map<string, number>();
  for (const m of campaign.messages) {
    const state = await tracker.getState({ messageId: m.messageId, provider: m.provider });
    if (state?.status !== m.expected) mismatches.push(`${m.messageId}: expected ${m.expected}, got ${state?.status ?? 'no state'}`);
    const hasRead = m.statuses.some((s) => s.status === 'read');
    if (hasRead && !m.statuses.some((s) => s.status === 'delivered')) {
      implied++;
      if (state?.deliveredImplied === true && state.deliveredAt === state.readAt) impliedOk++;
    }
    const error = m.statuses.find((s) => s.error !== undefined)?.error;
    if (error !== undefined) failedByCode.set(String(error.code), (failedByCode.get(String(error.code)) ?? 0) + 1);
  }
  checks.push({
    ok: mismatches.length === 0,
    label: `${count(campaign.messages.length - mismatches.length)}/${count(campaign.messages.length)} tracked messages ended in the state their statuses imply`,
    detail: mismatches.slice(0, 5).join('; '),
  });
  checks.push({ ok: impliedOk === implied, label: `read without a delivered receipt → delivered implied (${impliedOk}/${implied})` });
  checks.push({
    ok: input.duplicatesDropped === traffic.duplicates,
    label: `campaign duplicates dropped = duplicates the campaign sent (${input.duplicatesDropped} / ${traffic.duplicates}; the Events block also counts the real fixtures' repeated events)`,
  });
  const tracked = report.tracked;
  const reported = new Map((tracked?.failures.byCode ?? []).map((f) => [f.code, f.count]));
  const codesOk = [...failedByCode].every(([code, n]) => reported.get(code) === n) && reported.size === failedByCode.size;
  checks.push({
    ok: codesOk,
    label: `failures by error code of the tracked messages match (${[...failedByCode].map(([c, n]) => `${c}×${n}`).join(', ')})`,
    detail: JSON.stringify([...reported]),
  });
  checks.push({
    ok: tracked?.total === campaign.messages.length,
    label: `the report counts every tracked message once (${tracked?.total ?? 0} / ${campaign.messages.length})`,
  });
  const onTracked = (tracked?.interactions ?? []).reduce((n, i) => n + i.replies, 0);
  checks.push({ ok: onTracked === traffic.replies, label: `button replies counted once each, on campaign messages (${onTracked} / ${traffic.replies})` });
  return checks;
}
