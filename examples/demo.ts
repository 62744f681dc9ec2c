/**
 * The bluetick demo (`npm run demo`): a real webhook receiver on 127.0.0.1, a campaign replayed
 * at it over real HTTP with real signatures, and the delivery report.
 *
 *   node --import tsx examples/demo.ts [--messages 3000] [--seed 1] [--concurrency 8]
 *                                      [--duplicates 0.1] [--fixtures ../shared/fixtures]
 *
 * 1. Starts `createNodeListener` + `createTracker()` (the embedded memory store) on an ephemeral
 *    port with secrets for all three providers, and checks Meta's GET subscription handshake.
 * 2. Replays the shared real fixtures (when the folder exists), each signed as its provider would.
 * 3. Tracks thousands of outbound messages, then sends their statuses shuffled, ~10% twice,
 *    batched as Meta batches them, plus button replies and WASender updates.
 * 4. Prints the delivery report and checks it against the truth it generated: exit 1 on mismatch.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTracker } from 'bluetick';
import { createNodeListener } from 'bluetick/node';
import { createReportCollector } from '../src/cli/report/collector.js';
import { formatHttp, formatReport } from '../src/cli/report/format.js';
import { count, duration } from '../src/cli/report/table.js';
import { loadPayloadFiles } from '../src/cli/replay/files.js';
import { seededRandom } from '../src/cli/replay/random.js';
import type { ReplayCredentials } from '../src/cli/replay/request.js';
import { replayPayloads, type ReplaySummary } from '../src/cli/replay/send.js';
import { buildTraffic } from './demo/bodies.js';
import { generateCampaign } from './demo/campaign.js';
import { checkInvariants } from './demo/checks.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    duplicates: { type: 'string', default: '0.1' },
    fixtures: { type: 'string', default: fileURLToPath(new URL('../../shared/fixtures', import.meta.url)) },
  },
});
const messages = Number(values.messages);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const duplicateRate = Number(values.duplicates);
if (!(Number.isInteger(messages) && messages > 0 && Number.isInteger(seed) && concurrency >= 1 && duplicateRate >= 0 && duplicateRate <= 1)) {
  console.error('usage: demo.ts [--messages N>0] [--seed N] [--concurrency N>=1] [--duplicates 0..1] [--fixtures DIR]');
  process.exit(2);
}

// Secrets of the three providers. In production they come from your environment.
const secrets = { appSecret: 'demo-meta-app-secret', verifyToken: 'demo-verify-token', wasender: 'demo-wasender-secret', onprem: 'demo-onprem-token' };
const credentials: ReplayCredentials = { cloudSecret: secrets.appSecret, wasenderSecret: secrets.wasender, onpremToken: secrets.onprem };
const say = (line = '') => process.stdout.write(`${line}\n`);
const started = performance.now();

// 1. The receiver: exactly what a host application mounts.
const tracker = createTracker();
const collector = createReportCollector(tracker);
const listener = createNodeListener({
  cloud: { appSecret: secrets.appSecret, verifyToken: secrets.verifyToken },
  wasender: { secret: secrets.wasender },
  onprem: { token: secrets.onprem },
  tracker,
  logger: { warn: () => undefined, error: (m, e) => console.error(m, e) },
});
const server = createServer((req, res) => {
  res.once('finish', () => collector.recordHttp(res.statusCode));
  void listener(req, res);
});
await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;

say(`bluetick demo: seed ${seed}, ${count(messages)} messages`);
say(`receiver   ${url}  (memory store; Cloud, WASender and On-Premises secrets)`);
const challenge = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=1158201444`);
const challengeBody = await challenge.text();
const badToken = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`);
await badToken.text();
const handshakeOk = challenge.status === 200 && challengeBody === '1158201444' && badToken.status === 403;
say(`handshake  GET challenge → ${challenge.status} "${challengeBody}", wrong token → ${badToken.status}  ${handshakeOk ? 'OK' : 'MISMATCH'}`);

// 2. The shared real fixtures, as their providers would send them.
let fixtures: ReplaySummary | null = null;
if (existsSync(values.fixtures)) {
  const { payloads } = await loadPayloadFiles([values.fixtures]);
  fixtures = await replayPayloads(payloads, { url, credentials, concurrency });
  say(`\nReal fixtures (${values.fixtures}): ${count(payloads.length)} payloads in ${duration(fixtures.durationMs)}`);
  for (const [provider, codes] of Object.entries(fixtures.byProvider)) {
    say(`  ${provider.padEnd(9)} ${Object.entries(codes).map(([c, n]) => `${c} ×${n}`).join('   ')}`);
  }
  // Bodies that are not webhooks at all (invalid by design) are refused with 400; never 401 or 5xx.
  for (const f of fixtures.failures.slice(0, 5)) say(`  ${f.status} ${f.payload.label.split('/').slice(-2).join('/')}: ${f.detail.slice(0, 100)}`);
} else {
  say(`\nReal fixtures: ${values.fixtures} is absent, skipping that part.`);
}

// 3. The campaign: track every send, then replay the provider's view of what happened.
const random = seededRandom(seed);
const campaign = generateCampaign(random, messages, Date.UTC(2025, 5, 2, 9, 0, 0));
for (const m of campaign.messages) {
  await tracker.track({
    messageId: m.messageId,
    recipientId: m.recipientId,
    provider: m.provider,
    accountId: m.provider === 'cloud' ? campaign.wabaId : campaign.wasenderSession,
    campaign: m.campaign,
    sentAt: m.sentAtMs,
  });
}
const traffic = buildTraffic(campaign, random, duplicateRate);
say(
  `\nCampaign: tracked ${count(campaign.messages.length)} messages; sending ${count(traffic.statusItems)} Cloud statuses, ` +
    `${count(traffic.replies)} button replies and ${count(traffic.wasenderUpdates)} WASender updates ` +
    `(+${count(traffic.duplicates)} duplicates, ${count(traffic.readBeforeDelivered)} read-before-delivered) ` +
    `in ${count(traffic.payloads.length)} requests, ${concurrency} at a time`,
);
const duplicatesBefore = collector.counters.duplicates;
const sent = await replayPayloads(traffic.payloads, { url, credentials, concurrency });
say(`  done in ${duration(sent.durationMs)} (${count(Math.round((sent.sent / sent.durationMs) * 1000))} requests/s)`);
for (const line of formatHttp(sent.byStatus)) say(line);

// 4. The report, and the checks against the truth.
const report = await collector.report();
process.stdout.write(formatReport(report, 'Delivery report (the whole run)'));
const checks = await checkInvariants({ campaign, traffic, tracker, sent, report, duplicatesDropped: collector.counters.duplicates - duplicatesBefore });
checks.unshift({ ok: handshakeOk, label: 'GET challenge answered, wrong verify token refused' });
if (fixtures !== null) {
  const bad = Object.keys(fixtures.byStatus).filter((c) => c !== '200' && c !== '400');
  checks.push({ ok: bad.length === 0, label: 'real fixtures: every one verified (200, or 400 for a body that is no webhook)', detail: JSON.stringify(fixtures.byStatus) });
}
say('\nInvariants');
for (const c of checks) say(`  ${c.ok ? 'OK      ' : 'MISMATCH'}  ${c.label}${c.ok || !c.detail ? '' : `\n            ${c.detail}`}`);
const ok = checks.every((c) => c.ok);
say(`\n${ok ? 'ALL INVARIANTS OK' : 'INVARIANT MISMATCH'} in ${duration(performance.now() - started)}`);

server.close();
server.closeAllConnections();
await tracker.close();
process.exitCode = ok ? 0 : 1;
