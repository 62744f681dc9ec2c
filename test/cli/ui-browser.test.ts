import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ownFixturesDir } from '../helpers/fixtures.js';
import { describeIf, heavyTests, requireServices } from '../helpers/services.js';
import { createTracker, normalize } from '../../src/index.js';
import { buildReport } from '../../src/cli/report/model.js';
import { startUiServer } from '../../src/cli/ui/server.js';
import { runCli } from './helpers.js';
import { startListen, until } from './ui-helpers.js';

/*
 * `bluetick listen --ui` in a real browser: Debian's Chromium (/usr/bin/chromium, which .ci/run
 * installs) driven by playwright-core. The page is opened first, then a replay of signed payloads
 * runs against the receiver: what the page shows must be what `listen` printed.
 */
const CHROMIUM = process.env.BLUETICK_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const NO_CHROMIUM = `${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it; BLUETICK_REQUIRE_SERVICES=1 makes this a failure)`;
// Chromium's own calls home are refused on machines without a network: keep it from trying.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

const creds = ['--secret', 'app-secret', '--wasender-secret', 'wa-secret', '--onprem-token', 'op-token'];
const folders = ['cloud', 'onprem', 'wasender'].map((p) => join(ownFixturesDir, p));
const XSS_TEXT = '<img src=x onerror="window.__bluetickXss=1">';
const XSS_ID = 'wamid.XSS<b>1</b>';

/** A Cloud webhook with `count` `sent` statuses of fresh message ids. */
function sentStatuses(from: number, count: number): string {
  return statuses(Array.from({ length: count }, (_, i) => ({ id: `wamid.G${from + i}`, status: 'sent', timestamp: '1750300001' })));
}

/** A Cloud webhook of the given statuses. */
function statuses(items: Array<{ id: string; status: string; timestamp: string }>): string {
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: '2' }, statuses: items.map((s) => ({ ...s, recipient_id: '5511999990001' })) };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
}

/** A Cloud text message whose text and id are markup, from Meta's documented shape. */
function xssPayload(): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '111111111111111', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000001', phone_number_id: '900000000000001' },
      contacts: [{ profile: { name: '<script>window.__bluetickXss=2</script>' }, wa_id: '5511999990077' }],
      messages: [{ from: '5511999990077', id: XSS_ID, timestamp: '1750300001', type: 'text', text: { body: XSS_TEXT } }],
    } }] }],
  });
}

interface Line {
  type: string;
  event?: { id: string };
  id?: string;
  report?: { http: Record<string, number>; events: Record<string, number>; all: Record<string, number>; tracked: unknown };
}

// Like a service: required in CI, left to `npm test` by `npm run test:unit`.
const run = heavyTests && (hasChromium || requireServices);
const reason = !heavyTests ? 'npm run test:unit leaves the browser test to npm test' : NO_CHROMIUM;

describeIf(run, reason, 'bluetick listen --ui in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and BLUETICK_REQUIRE_SERVICES=1 requires it: apt-get install -y chromium (.ci/run does)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = mkdtempSync(join(tmpdir(), 'bluetick-ui-'));
    writeFileSync(join(dir, 'xss-text.json'), xssPayload());
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('during a replay the page shows every event, the funnel the report prints, a message timeline on click, and markup as text', async () => {
    const listen = await startListen(['--port', '0', '--ui-port', '0', ...creds, '--json']);
    let stopped: Awaited<ReturnType<typeof listen.stop>> | null = null;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
      await page.goto(listen.uiUrl as string);
      await page.waitForSelector('#conn[data-state="live"]');

      const replay = await runCli(['replay', '--url', listen.receiverUrl, ...creds, '--duplicates', '0.3', '--seed', '5', '--json', ...folders, dir]);
      expect(replay.code).toBe(0);
      const lines = () => listen.stdout().trim().split('\n').map((l) => JSON.parse(l) as Line);
      const printed = lines();
      const events = printed.filter((l) => l.type === 'event');
      const duplicates = printed.filter((l) => l.type === 'duplicate');
      const changes = printed.filter((l) => l.type === 'transition' || l.type === 'change');
      expect(duplicates.length).toBeGreaterThan(0);

      // Every record arrived, and the last report pushed counts up to the last of them.
      await page.waitForFunction(
        ([rows, changeRows]) =>
          document.querySelectorAll('#events tbody tr').length === rows &&
          document.querySelectorAll('#changes tbody tr').length === changeRows &&
          document.body.dataset.reportSeq === document.body.dataset.lastSeq,
        [events.length + duplicates.length, changes.length] as const,
        { timeout: 10_000 },
      );
      const shownIds = await page.$$eval('#events tbody tr[data-type="event"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.eventId));
      expect(shownIds.sort()).toEqual(events.map((l) => l.event?.id).sort());
      const shownDuplicates = await page.$$eval('#events tbody tr[data-type="duplicate"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.eventId));
      expect(shownDuplicates.sort()).toEqual(duplicates.map((l) => l.id).sort());
      expect(await page.textContent('#events-count')).toBe(String(events.length + duplicates.length));
      // Newest first.
      const seqs = await page.$$eval('#events tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)));
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      const fields = await page.$$eval('[data-field]', (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.field, Number(c.textContent)])));

      // A click on a message id: its presented state and what this session saw of it.
      await page.click('#events button.msg[data-message-id="wamid.OUT1"] >> nth=0');
      await page.waitForSelector('#message[data-message-id="wamid.OUT1"]');
      expect(await page.getAttribute('#message', 'data-status')).toBe('read');
      const timeline = await page.$$eval('#message ol.timeline li', (items) => items.map((li) => `${(li as HTMLElement).dataset.type}:${(li as HTMLElement).dataset.status}`));
      expect(timeline.filter((t) => !t.startsWith('duplicate'))).toEqual(['event:delivered', 'transition:delivered', 'event:read', 'transition:read']);
      const times = await page.$$eval('#message [data-table="times"] tr', (rows) => rows.map((r) => r.textContent));
      expect(times).toHaveLength(3);
      expect(times[0]).toMatch(/^sent.*implied$/);
      expect(times[1]).toMatch(/^delivered/);
      expect(times[2]).toMatch(/^read/);

      // Markup from a webhook is text: shown verbatim, never parsed.
      const xssRow = page.locator(`#events tbody tr[data-type="event"][data-message-id="${XSS_ID}"]`);
      expect(await xssRow.locator('q.text').textContent()).toBe(XSS_TEXT);
      await xssRow.locator('button.msg').click();
      await page.waitForSelector(`#message[data-message-id="${XSS_ID}"] ol.timeline li`);
      expect(await page.textContent('#message-title')).toBe(XSS_ID);
      expect(await page.locator('#message ol.timeline li[data-type="event"] q.text').textContent()).toBe(XSS_TEXT);
      expect(await page.evaluate(() => ({ images: document.querySelectorAll('img, b, script:not(:last-of-type)').length, flag: (window as { __bluetickXss?: number }).__bluetickXss ?? null }))).toEqual({ images: 0, flag: null });
      expect(problems).toEqual([]);

      // The report `listen` prints on exit is what the page showed.
      stopped = await listen.stop();
      expect(stopped.code).toBe(0);
      const report = lines().at(-1)?.report;
      if (!report) throw new Error('no report line');
      const all = report.all as Record<string, number> & { total: number; sent: number };
      for (const k of ['total', 'sent', 'delivered', 'read', 'failed'] as const) expect(fields[`all.${k}`], `all.${k}`).toBe(all[k]);
      expect(fields['all.notSent']).toBe(all.total - all.sent);
      expect(all.total).toBeGreaterThan(5);
      for (const k of ['received', 'accepted', 'duplicates', 'transitions', 'changes'] as const) expect(fields[`events.${k}`], `events.${k}`).toBe(report.events[k]);
      expect(fields['http.200']).toBe(report.http['200']);
      expect(report.tracked).toBeNull();
    } finally {
      await context.close();
      if (stopped === null) await listen.stop();
    }
  }, 30_000);

  it('the page keeps the last 500 rows, resumes after a dropped connection with Last-Event-ID, and an open message follows its live records', async () => {
    const tracker = createTracker();
    const ui = await startUiServer({ tracker, report: () => buildReport(tracker), feedLimit: 2000, reportEveryMs: 20 });
    const context = await browser.newContext();
    try {
      await tracker.ingest(normalize(sentStatuses(0, 600)));
      const page = await context.newPage();
      await page.goto(ui.url);
      await page.waitForFunction(() => document.body.dataset.lastSeq === '1200');
      expect(await page.locator('#events tbody tr').count()).toBe(500);
      expect(await page.locator('#changes tbody tr').count()).toBe(500);
      expect(await page.textContent('#events-count')).toBe('600 (last 500 shown)');
      expect(await page.getAttribute('#events tbody tr >> nth=0', 'data-message-id')).toBe('wamid.G599');

      const lastEventIds: Array<string | undefined> = [];
      ui.server.on('request', (req: { url?: string; headers: Record<string, unknown> }) => {
        if (req.url === '/_bluetick/events') lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      });
      ui.server.closeAllConnections();
      // The browser reconnects by itself, saying what it saw last.
      await until(() => lastEventIds.length === 1 && ui.clients === 1, 'the page to reconnect');
      expect(lastEventIds).toEqual([`${ui.feed.session}.1200`]);
      await tracker.ingest(normalize(sentStatuses(600, 5)));
      await page.waitForFunction(() => document.body.dataset.lastSeq === '1210');
      expect(await page.textContent('#events-count')).toBe('605 (last 500 shown)');
      expect(await page.getAttribute('#events tbody tr >> nth=0', 'data-message-id')).toBe('wamid.G604');
      expect(await page.getAttribute('#conn', 'data-state')).toBe('live');

      // The open message follows its live records: a status arriving for the selected message
      // reloads its panel (state and timeline), without a click.
      await page.click('#events button.msg[data-message-id="wamid.G604"] >> nth=0');
      await page.waitForSelector('#message[data-message-id="wamid.G604"][data-status="sent"]');
      expect(await page.locator('#message ol.timeline li').count()).toBe(2); // event:sent, transition:sent
      await tracker.ingest(normalize(statuses([{ id: 'wamid.G604', status: 'delivered', timestamp: '1750300009' }])));
      await page.waitForSelector('#message[data-message-id="wamid.G604"][data-status="delivered"]', { timeout: 10_000 });
      const timeline = await page.$$eval('#message ol.timeline li', (items) => items.map((li) => `${(li as HTMLElement).dataset.type}:${(li as HTMLElement).dataset.status}`));
      expect(timeline).toEqual(['event:sent', 'transition:sent', 'event:delivered', 'transition:delivered']);
      // A status of another message leaves the open panel as it is.
      await tracker.ingest(normalize(statuses([{ id: 'wamid.G603', status: 'delivered', timestamp: '1750300009' }])));
      await page.waitForFunction(() => document.body.dataset.lastSeq === '1214');
      await new Promise((r) => setTimeout(r, 400)); // longer than the panel's 200 ms refresh delay
      expect(await page.getAttribute('#message', 'data-message-id')).toBe('wamid.G604');
      expect(await page.locator('#message ol.timeline li').count()).toBe(4);
    } finally {
      await context.close();
      await ui.close();
      await tracker.close();
    }
  }, 30_000);
});
