/**
 * Server-sent events (the WHATWG `text/event-stream` format) for `listen --ui`: one stream per
 * open page. A stream starts with a `hello` (the session, and whether it resumes the page's last
 * event id), then the kept records it has not seen, then every new record and report as they
 * come. Record ids are `<session>.<seq>`, so the browser's automatic reconnect (which sends
 * `Last-Event-ID`) resumes where it stopped, and a page that outlived its `listen` starts over.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UiFeed } from './feed.js';
import type { UiRecord } from './views.js';

/** A stream whose unsent output passes this many bytes is cut: the page reconnects and resumes. */
export const SSE_BUFFER_LIMIT = 4 * 1024 * 1024;
/** A comment line this often keeps idle connections (and proxies) open. */
export const SSE_HEARTBEAT_MS = 15_000;

/** One open stream. */
export interface SseClient {
  send(event: string, data: unknown, id?: string): void;
  close(): void;
}

/** The id a record is sent with. */
export function recordId(session: string, seq: number): string {
  return `${session}.${seq}`;
}

/**
 * The records a page reconnecting with `lastEventId` has not seen, or null when it must start
 * over (no id, another session's id, or records after it no longer kept).
 */
export function resumeFrom(feed: UiFeed, lastEventId: string | undefined): UiRecord[] | null {
  if (lastEventId === undefined || lastEventId === '') return null;
  const dot = lastEventId.lastIndexOf('.');
  const seq = Number(lastEventId.slice(dot + 1));
  if (dot < 0 || lastEventId.slice(0, dot) !== feed.session || !Number.isSafeInteger(seq) || seq < 0) return null;
  return feed.since(seq);
}

/** `data:` lines of one message: JSON has no raw line breaks, so it is always one line. */
function frame(event: string, data: unknown, id?: string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Opens a stream on `res`: the hello (`hello` merged with the session, the feed's limit and
 * whether it resumes), the backlog, then live records until the page goes away or is too slow.
 *
 * @example
 * ```ts
 * const client = openSseStream(req, res, feed, { store: 'memory' }, () => clients.delete(client));
 * ```
 */
export function openSseStream(req: IncomingMessage, res: ServerResponse, feed: UiFeed, hello: Record<string, unknown>, onClose: () => void): SseClient {
  const header = req.headers['last-event-id'];
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId') ?? undefined;
  const resumed = resumeFrom(feed, typeof header === 'string' ? header : query);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
  });
  let open = true;
  let unsubscribe: () => void = () => undefined;
  const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const client: SseClient = {
    send(event, data, id) {
      if (!open) return;
      res.write(frame(event, data, id));
      if (res.writableLength > SSE_BUFFER_LIMIT) client.close();
    },
    close() {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
      res.destroy();
      onClose();
    },
  };
  res.write('retry: 1000\n\n');
  client.send('hello', { ...hello, session: feed.session, limit: feed.limit, resumed: resumed !== null });
  for (const r of resumed ?? feed.records()) client.send('record', r, recordId(feed.session, r.seq));
  unsubscribe = feed.subscribe((r) => client.send('record', r, recordId(feed.session, r.seq)));
  res.on('close', () => client.close());
  return client;
}
