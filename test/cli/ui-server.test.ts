import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker, normalize, type Tracker } from '../../src/index.js';
import { buildReport } from '../../src/cli/report/model.js';
import { CLIENT_SCRIPT } from '../../src/cli/ui/client.js';
import { createUiFeed } from '../../src/cli/ui/feed.js';
import { renderPage } from '../../src/cli/ui/page.js';
import { openSseStream, SSE_BUFFER_LIMIT, SSE_HEARTBEAT_MS } from '../../src/cli/ui/sse.js';
import { hostAllowed, startUiServer, type UiServer } from '../../src/cli/ui/server.js';
import { clip, ERRORS_LIMIT, eventView, TEXT_LIMIT } from '../../src/cli/ui/views.js';
import type { MessageEvent, StatusEvent } from '../../src/event/types.js';
import { ownFixture } from '../helpers/fixtures.js';
import { runCli } from './helpers.js';
import { openEventStream, startListen, until, type SseMessage } from './ui-helpers.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function setup(options: { feedLimit?: number; reportEveryMs?: number } = {}): Promise<{ tracker: Tracker; ui: UiServer }> {
  const tracker = createTracker();
  const ui = await startUiServer({ tracker, report: () => buildReport(tracker), receiverUrl: 'http://127.0.0.1:1/webhooks/whatsapp', store: 'memory', ...options });
  open.push(tracker, ui);
  return { tracker, ui };
}

const batch = () => normalize(ownFixture('cloud/batch.json'));
const statuses = () => normalize(ownFixture('cloud/statuses.json'));
/** A report as JSON, its window's end (now + 1 day, moving) left out. */
function comparable(report: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(report)) as { all: { to?: string }; tracked: { to?: string } | null };
  delete copy.all.to;
  if (copy.tracked) delete copy.tracked.to;
  return copy;
}
const records = (messages: SseMessage[]) => messages.filter((m) => m.event === 'record').map((m) => m.data as { seq: number; type: string });

describe('listen --ui: the feed', () => {
  it('numbers every event, duplicate, transition and change in emission order, and keeps only the newest `limit`', async () => {
    const tracker = createTracker();
    open.push(tracker);
    const feed = createUiFeed(tracker, { limit: 5 });
    const seen: number[] = [];
    feed.subscribe((r) => seen.push(r.seq));
    const first = await tracker.ingest(batch());
    const again = await tracker.ingest(batch()); // every event again: duplicates
    expect(again.duplicates).toBe(first.received);
    const emitted = first.accepted + first.transitions + first.changes + again.duplicates;
    expect(feed.latest()).toBe(emitted);
    expect(seen).toEqual(Array.from({ length: emitted }, (_, i) => i + 1));
    const kept = feed.records();
    expect(kept.map((r) => r.seq)).toEqual([emitted - 4, emitted - 3, emitted - 2, emitted - 1, emitted]);
    expect(kept.every((r) => r.type === 'duplicate')).toBe(true);
    // Resuming: after a kept record, exactly the later ones; too old or from the future: start over.
    expect(feed.since(emitted - 2)?.map((r) => r.seq)).toEqual([emitted - 1, emitted]);
    expect(feed.since(emitted)).toEqual([]);
    expect(feed.since(emitted - 5)?.length).toBe(5);
    expect(feed.since(emitted - 6)).toBeNull();
    expect(feed.since(emitted + 1)).toBeNull();
    feed.detach();
    await tracker.ingest(statuses());
    expect(feed.latest()).toBe(emitted);
  });

  it('summaries are bounded: text cut (never inside a surrogate pair), errors capped', () => {
    expect(clip('x'.repeat(TEXT_LIMIT))).toBe('x'.repeat(TEXT_LIMIT));
    const emoji = `${'x'.repeat(TEXT_LIMIT - 1)}😀`;
    expect(clip(emoji)).toBe(`${'x'.repeat(TEXT_LIMIT - 1)}…`);
    const [message] = normalize(ownFixture('cloud/batch.json')).events.filter((e): e is MessageEvent => e.kind === 'message');
    const long = eventView({ ...(message as MessageEvent), text: 'y'.repeat(10_000) });
    expect(long.text?.length).toBe(TEXT_LIMIT + 1);
    const [status] = statuses().events.filter((e): e is StatusEvent => e.kind === 'status');
    const errors = Array.from({ length: 50 }, (_, i) => ({ code: String(i), class: 'unknown' as const, title: 't'.repeat(5000) }));
    const view = eventView({ ...(status as StatusEvent), errors });
    expect(view.errors).toHaveLength(ERRORS_LIMIT);
    expect(view.moreErrors).toBe(true);
    expect(view.errors[0]?.title?.length).toBe(TEXT_LIMIT + 1);
  });
});

describe('listen --ui: the event stream', () => {
  it('sends hello, the kept records, a report, then live records with ids <session>.<seq>', async () => {
    const { tracker, ui } = await setup({ reportEveryMs: 20 });
    const before = await tracker.ingest(batch());
    const stream = await openEventStream(`${ui.url}_bluetick/events`);
    open.push(stream);
    expect(stream.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const backlog = ui.feed.latest();
    expect(backlog).toBe(before.accepted + before.transitions + before.changes);
    await until(() => stream.of('report').length > 0, 'the first report');
    expect(stream.messages[0]).toMatchObject({ event: 'hello', data: { session: ui.feed.session, resumed: false, limit: 1000, store: 'memory', receiverUrl: 'http://127.0.0.1:1/webhooks/whatsapp' } });
    expect(records(stream.messages).map((r) => r.seq)).toEqual(Array.from({ length: backlog }, (_, i) => i + 1));
    expect(stream.of('record').map((m) => m.id)).toEqual(Array.from({ length: backlog }, (_, i) => `${ui.feed.session}.${i + 1}`));

    const more = await tracker.ingest(statuses());
    const total = backlog + more.accepted + more.transitions + more.changes;
    await until(() => records(stream.messages).length === total, 'the live records');
    // The pushed report catches up with the last record and equals the report built from the store.
    const last = await until(() => {
      const r = stream.of('report').at(-1)?.data as { seq: number; report: unknown } | undefined;
      return r !== undefined && r.seq === total ? r : undefined;
    }, 'a report covering every record');
    expect(comparable(last.report)).toEqual(comparable(await buildReport(tracker)));
    expect((last.report as { all: { total: number } }).all.total).toBeGreaterThan(0);
    expect(ui.clients).toBe(1);
    stream.close();
    await until(() => ui.clients === 0, 'the server to drop the closed stream');
  });

  it('resumes from Last-Event-ID (header or query), and starts over for another session or a dropped id', async () => {
    const { tracker, ui } = await setup({ feedLimit: 8 });
    await tracker.ingest(batch());
    const latest = ui.feed.latest();
    expect(latest).toBeGreaterThan(8);
    const resume = await openEventStream(`${ui.url}_bluetick/events`, { 'last-event-id': `${ui.feed.session}.${latest - 3}` });
    const query = await openEventStream(`${ui.url}_bluetick/events?lastEventId=${ui.feed.session}.${latest - 1}`);
    const other = await openEventStream(`${ui.url}_bluetick/events`, { 'last-event-id': `0123456789ab.${latest - 3}` });
    const dropped = await openEventStream(`${ui.url}_bluetick/events`, { 'last-event-id': `${ui.feed.session}.1` });
    open.push(resume, query, other, dropped);
    await until(() => [resume, query, other, dropped].every((s) => s.of('report').length > 0), 'four streams');
    expect(resume.messages[0]?.data).toMatchObject({ resumed: true });
    expect(records(resume.messages).map((r) => r.seq)).toEqual([latest - 2, latest - 1, latest]);
    expect(records(query.messages).map((r) => r.seq)).toEqual([latest]);
    for (const s of [other, dropped]) {
      expect(s.messages[0]?.data).toMatchObject({ resumed: false });
      expect(records(s.messages).map((r) => r.seq)).toEqual(Array.from({ length: 8 }, (_, i) => latest - 7 + i));
    }
  });

  it('keeps idle streams open with a comment line, and cuts a page that reads too slowly', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const tracker = createTracker();
    open.push(tracker, { close: () => vi.useRealTimers() });
    const feed = createUiFeed(tracker);
    let written = '';
    let destroyed = false;
    let closed = 0;
    const res = {
      writableLength: 0,
      writeHead: () => res,
      write: (chunk: string) => void (written += chunk),
      destroy: () => void (destroyed = true),
      on: () => res,
    };
    const req = { headers: {}, url: '/_bluetick/events' };
    openSseStream(req as unknown as IncomingMessage, res as unknown as ServerResponse, feed, {}, () => closed++);
    expect(written).toMatch(/^retry: 1000\n\nevent: hello\n/);
    vi.advanceTimersByTime(SSE_HEARTBEAT_MS);
    expect(written.endsWith(': ping\n\n')).toBe(true);
    await tracker.ingest(statuses());
    expect(written).toMatch(/event: record/);
    expect(destroyed).toBe(false);
    // The socket stopped draining: past the limit the stream is cut, once, and gets nothing more.
    res.writableLength = SSE_BUFFER_LIMIT + 1;
    await tracker.ingest(batch());
    expect([destroyed, closed]).toEqual([true, 1]);
    const after = written.length;
    await tracker.ingest(normalize(ownFixture('cloud/messages-media.json')));
    vi.advanceTimersByTime(SSE_HEARTBEAT_MS * 2);
    expect(written.length).toBe(after);
  });

  it('a closed server ends the streams', async () => {
    const tracker = createTracker();
    open.push(tracker);
    const ui = await startUiServer({ tracker, report: () => buildReport(tracker) });
    const stream = await openEventStream(`${ui.url}_bluetick/events`);
    await until(() => stream.messages.length > 0, 'hello');
    await ui.close();
    await until(() => stream.ended, 'the stream to end');
  });
});

describe('listen --ui: JSON endpoints and the page', () => {
  it('/_bluetick/funnel is the report listen prints, with the record it counts up to', async () => {
    const { tracker, ui } = await setup();
    await tracker.ingest(batch());
    await tracker.ingest(statuses());
    const res = await fetch(`${ui.url}_bluetick/funnel`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as { seq: number; report: unknown };
    expect(body.seq).toBe(ui.feed.latest());
    expect(comparable(body.report)).toEqual(comparable(await buildReport(tracker)));
  });

  it('/_bluetick/messages/:id gives getState() and the records of that message only; 404 and 400 otherwise', async () => {
    const { tracker, ui } = await setup();
    await tracker.ingest(batch());
    await tracker.ingest(statuses());
    const res = await fetch(`${ui.url}_bluetick/messages/${encodeURIComponent('wamid.OUT1')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messageId: string; state: unknown; records: Array<{ type: string; event?: { status: string; messageId: string }; change?: { before: string | null; after: string } }> };
    expect(body.messageId).toBe('wamid.OUT1');
    expect(body.state).toEqual(JSON.parse(JSON.stringify(await tracker.getState('wamid.OUT1'))));
    expect(body.records.map((r) => [r.type, r.event?.status ?? `${r.change?.before}→${r.change?.after}`])).toEqual([
      ['event', 'delivered'],
      ['transition', 'null→delivered'],
      ['event', 'read'],
      ['transition', 'delivered→read'],
    ]);
    // An inbound message: no state, but its event.
    const inbound = (await (await fetch(`${ui.url}_bluetick/messages/wamid.B1`)).json()) as { state: unknown; records: unknown[] };
    expect(inbound.state).toBeNull();
    expect(inbound.records).toHaveLength(1);
    const unknown = await fetch(`${ui.url}_bluetick/messages/nope`);
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([404, 'unknown_message']);
    const bad = await fetch(`${ui.url}_bluetick/messages/%E0%A4%A`);
    expect(bad.status).toBe(400);
  });

  it('answers only loopback Host names on a loopback address (DNS rebinding), only GET, and 404 elsewhere', async () => {
    const { ui } = await setup();
    const { request } = await import('node:http');
    const get = (path: string, headers: Record<string, string>, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        const req = request(new URL(path, ui.url), { method, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('/_bluetick/funnel', { host: 'attacker.example' })).toBe(403);
    expect(await get('/_bluetick/funnel', { host: `attacker.example:${ui.port}` })).toBe(403);
    expect(await get('/_bluetick/funnel', { host: `localhost:${ui.port}` })).toBe(200);
    expect(await get('/_bluetick/funnel', { host: `[::1]:${ui.port}` })).toBe(200);
    expect(await get('/_bluetick/funnel', {}, 'POST')).toBe(405);
    expect(await get('/elsewhere', {})).toBe(404);
    expect(hostAllowed('anything.example', '0.0.0.0')).toBe(true);
    expect(hostAllowed(undefined, '127.0.0.1')).toBe(false);
    expect(hostAllowed('127.0.0.1:80', '127.0.0.1')).toBe(true);
  });

  it('serves one self-contained page whose CSP allows exactly its inline script and style', async () => {
    const { ui } = await setup();
    const res = await fetch(ui.url);
    const html = await res.text();
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/connect-src 'self'/);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/); // nothing fetched from elsewhere
    expect(renderPage().html).toBe(html);
  });

  it('the client script parses and never hands data to an HTML parser', () => {
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
    expect(CLIENT_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"]on/);
  });
});

/** A free port whose next port is free too (the UI's default), both checked by binding them. */
async function freePortPair(): Promise<number> {
  const bind = (port: number) =>
    new Promise<ReturnType<typeof createServer> | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (;;) {
    const first = await bind(0);
    if (first === null) continue;
    const port = (first.address() as { port: number }).port;
    const next = port < 65535 ? await bind(port + 1) : null;
    await new Promise((r) => first.close(r));
    if (next !== null) {
      await new Promise((r) => next.close(r));
      return port;
    }
  }
}

describe('bluetick listen --ui (options)', () => {
  it('prints the page URL on the next port by default, and --ui-port picks another', async () => {
    const port = await freePortPair();
    const listen = await startListen(['--port', String(port), '--insecure', '--ui']);
    try {
      expect(listen.uiUrl).toBe(`http://127.0.0.1:${port + 1}/`);
      const page = await fetch(listen.uiUrl as string);
      expect(page.status).toBe(200);
    } finally {
      expect((await listen.stop()).code).toBe(0);
    }
    const chosen = await startListen(['--port', '0', '--insecure', '--ui-port', '0']);
    expect(chosen.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await chosen.stop()).code).toBe(0);
  });

  it('a taken UI port exits 1 naming --ui-port; --port 65535 --ui is a usage error', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => blocker.close(r)) });
    const taken = (blocker.address() as { port: number }).port;
    const r = await runCli(['listen', '--port', '0', '--insecure', '--ui-port', String(taken)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cannot serve the UI on port ${taken}: .*--ui-port`));
    const last = await runCli(['listen', '--port', '65535', '--insecure', '--ui']);
    expect(last.code).toBe(2);
    expect(last.stderr).toMatch(/give --ui-port/);
  });
});
