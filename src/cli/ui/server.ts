/**
 * The `listen --ui` server: the page, its server-sent event stream and two JSON endpoints, on its
 * own port. Kept apart from the webhook receiver on purpose: the receiver is often exposed through
 * a tunnel for the provider to reach, and the page shows message contents.
 *
 *   GET /                          the page
 *   GET /_bluetick/events          server-sent events: hello, record (id `<session>.<seq>`), report
 *   GET /_bluetick/funnel          { seq, report }: the delivery report `listen` prints on exit
 *   GET /_bluetick/messages/:id    { messageId, state, records }: getState() and the session's records
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracker } from '../../tracking/tracker.js';
import type { DeliveryReport } from '../report/model.js';
import { createUiFeed, type UiFeed } from './feed.js';
import { renderPage } from './page.js';
import { openSseStream, type SseClient } from './sse.js';
import { describeValue } from '../../internal/describe.js';

/** Options of {@link startUiServer}. */
export interface UiServerOptions {
  tracker: Tracker;
  /** The report the page shows (the one `listen` prints on exit). */
  report: () => Promise<DeliveryReport>;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The feed to serve (created before the receiver starts, so nothing is missed); closed with the server. Default: a new one. */
  feed?: UiFeed;
  /** Records kept for pages that open or reconnect later, when the server creates the feed (default 1000). */
  feedLimit?: number;
  /** Shortest time between two reports pushed to the pages (default 250 ms). */
  reportEveryMs?: number;
  /** Shown in the page's header. */
  receiverUrl?: string;
  store?: string;
}

/** A running UI server. */
export interface UiServer {
  /** The page's URL, e.g. `http://127.0.0.1:3001/`. */
  url: string;
  port: number;
  server: Server;
  feed: UiFeed;
  /** Open event streams. */
  readonly clients: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Whether a request's Host header names this server. On a loopback address only loopback names
 * are answered: a web page the user visits cannot rebind its own domain name to 127.0.0.1 and
 * read the session's messages (DNS rebinding). On another interface any name is answered.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  const bound = boundHost.toLowerCase();
  if (!LOOPBACK.has(bound) && !bound.startsWith('127.')) return true;
  if (hostHeader === undefined) return false;
  const name = hostHeader.toLowerCase().replace(/:\d+$/, '');
  return LOOPBACK.has(name) || name === bound || name === `[${bound}]` || /^127(\.\d{1,3}){3}$/.test(name);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/**
 * Starts the UI server and resolves once it listens. It follows the tracker from this call on.
 *
 * @example
 * ```ts
 * const collector = createReportCollector(tracker);
 * const ui = await startUiServer({ tracker, report: () => collector.report(), port: 3001 });
 * console.log(`open ${ui.url}`);
 * await ui.close();
 * ```
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { tracker } = options;
  const host = options.host ?? '127.0.0.1';
  const feed = options.feed ?? createUiFeed(tracker, options.feedLimit !== undefined ? { limit: options.feedLimit } : {});
  const page = renderPage();
  const clients = new Set<SseClient>();
  const reportEveryMs = options.reportEveryMs ?? 250;

  const currentReport = async () => {
    const seq = feed.latest();
    return { seq, report: await options.report() };
  };
  // At most one report in flight and one per `reportEveryMs`; records that arrive meanwhile are
  // covered by the next one (each report says up to which record it counts).
  let scheduled = false;
  const scheduleReport = () => {
    if (scheduled || clients.size === 0) return;
    scheduled = true;
    setTimeout(() => {
      let covered: number | null = null;
      void currentReport()
        .then((r) => {
          covered = r.seq;
          for (const c of clients) c.send('report', r);
        })
        .catch((error: unknown) => {
          for (const c of clients) c.send('problem', { message: `report failed: ${error instanceof Error ? error.message : describeValue(error)}` });
        })
        .finally(() => {
          scheduled = false;
          if (covered !== null && covered !== feed.latest()) scheduleReport();
        });
    }, reportEveryMs).unref();
  };
  const unsubscribe = feed.subscribe(scheduleReport);

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, host)) return problem(res, 403, 'forbidden_host', 'this server answers only to 127.0.0.1 or localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return problem(res, 405, 'method_not_allowed', 'only GET');
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/' || pathname === '/_bluetick' || pathname === '/_bluetick/') {
      res.writeHead(200, { ...page.headers, 'content-length': Buffer.byteLength(page.html) });
      return void res.end(req.method === 'HEAD' ? undefined : page.html);
    }
    if (pathname === '/_bluetick/events') {
      const info = { receiverUrl: options.receiverUrl ?? null, store: options.store ?? null };
      const client = openSseStream(req, res, feed, info, () => clients.delete(client));
      clients.add(client);
      return void currentReport()
        .then((r) => client.send('report', r))
        .catch(() => undefined);
    }
    if (pathname === '/_bluetick/funnel') return sendJson(res, 200, await currentReport());
    if (pathname.startsWith('/_bluetick/messages/')) {
      let messageId: string;
      try {
        messageId = decodeURIComponent(pathname.slice('/_bluetick/messages/'.length));
      } catch {
        return problem(res, 400, 'bad_message_id', 'the message id is not valid percent-encoding');
      }
      const state = messageId === '' ? null : await tracker.getState(messageId);
      const records = feed.forMessage(messageId);
      if (state === null && records.length === 0) return problem(res, 404, 'unknown_message', `no state and no event of this session for message ${JSON.stringify(messageId)}`);
      return sendJson(res, 200, { messageId, state, records });
    }
    problem(res, 404, 'not_found', 'not found: the page is at /');
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) problem(res, 500, 'internal', error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    unsubscribe();
    feed.detach();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    server,
    feed,
    get clients() {
      return clients.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        feed.detach();
        for (const c of [...clients]) c.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
