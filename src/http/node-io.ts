import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookDispatch } from './core.js';
import { logError } from './log-error.js';
import { bodyParsedResponse, errorResponse, tooLargeResponse } from './responses.js';
import type { WebhookLogger, WebhookResponse } from './types.js';

/** A raw body read from a Node request, or the response to send instead. */
export type NodeBody = { ok: true; rawBody: Buffer | string | undefined } | { ok: false; response: WebhookResponse };

/**
 * Reads the request stream up to `limit` bytes and calls `done` once. Over the limit (by
 * `Content-Length` up front, or while streaming) it stops reading at once, pauses the stream and
 * answers 413 with `Connection: close`, so a 5 MB body is never buffered. Callbacks, no promise:
 * the node listener's body read is on every request's path (bench/http.ts).
 */
export function readNodeBody(req: IncomingMessage, limit: number, done: (body: NodeBody) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.pause();
    return done({ ok: false, response: tooLargeResponse(limit) });
  }
  // One chunk is the common case (a webhook fits a socket read): no array for it. The listeners
  // are inline and anonymous: no named closure per request (bench/http.ts).
  let first: Buffer | undefined;
  let rest: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      // Paused, the stream delivers nothing more; the 413 closes the connection.
      settled = true;
      req.pause();
      first = rest = undefined;
      return done({ ok: false, response: tooLargeResponse(limit) });
    }
    if (first === undefined) first = chunk;
    else (rest ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done({ ok: true, rawBody: rest !== undefined ? Buffer.concat(rest, size) : (first ?? Buffer.alloc(0)) });
  });
  // Stays attached after the end: a late socket error is swallowed, never an unhandled 'error'.
  req.on('error', () => {
    if (settled) return;
    settled = true;
    first = rest = undefined;
    done({ ok: false, response: errorResponse(400, 'request_aborted', 'The request body could not be read (client aborted).') });
  });
}

function consumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req.complete && !req.readable);
}

/**
 * Writes a core response to a Node `ServerResponse`. The core builds a fresh headers object for
 * every response and only these adapters see it, so the length is added to it in place: copying
 * it (`{ ...headers, 'content-length': n }`) cost the node listener 68 → 58 µs of server CPU per
 * request in bench/http.ts (median of 5 rounds, shared machine).
 */
export function sendNodeResponse(res: ServerResponse, response: WebhookResponse): void {
  if (res.headersSent) return;
  const headers: Record<string, string | number> = response.headers;
  headers['content-length'] = Buffer.byteLength(response.body);
  res.writeHead(response.status, headers).end(response.body);
}

/** The 500 answer when the handler itself threw (a bug): never the error's text. */
export const internalErrorResponse = (): WebhookResponse => errorResponse(500, 'internal_error', 'The webhook handler failed unexpectedly.');

/** What a Node-based adapter (node listener, Express) mounts over the core. */
export interface NodeServer {
  dispatch: WebhookDispatch;
  maxBodyBytes: number;
  logger: WebhookLogger;
  /** Who parsed the body when it arrives as an object (named in the 500). */
  framework: string;
  /** How to give bluetick the raw body (the 500's hint). */
  fix: string;
  /** Called with each answer given before the core ran (413, 400, 500 for a parsed body). */
  onRefused?: (response: WebhookResponse) => void;
}

function failed(server: NodeServer, res: ServerResponse, error: unknown): void {
  logError(server.logger, 'webhook handler failed', error);
  sendNodeResponse(res, internalErrorResponse());
}

function deliver(server: NodeServer, res: ServerResponse, response: WebhookResponse): void {
  try {
    sendNodeResponse(res, response);
  } catch (error) {
    failed(server, res, error);
  }
}

/** Runs the core on the body and writes its answer: `undefined` when that happened synchronously. */
function answer(server: NodeServer, req: IncomingMessage, res: ServerResponse, method: string, url: string, rawBody: Buffer | string | undefined): Promise<void> | undefined {
  let response: WebhookResponse | Promise<WebhookResponse>;
  try {
    response = server.dispatch({ method, url, headers: req.headers, rawBody });
  } catch (error) {
    failed(server, res, error);
    return undefined;
  }
  if (response instanceof Promise) {
    return response.then(
      (r) => deliver(server, res, r),
      (error: unknown) => failed(server, res, error),
    );
  }
  deliver(server, res, response);
  return undefined;
}

function refuse(server: NodeServer, res: ServerResponse, response: WebhookResponse): void {
  server.onRefused?.(response);
  deliver(server, res, response);
}

/**
 * Serves one request of a Node-based adapter: takes the raw body (a Buffer or string a raw/text
 * parser already produced is used as is; a parsed object means the bytes are gone, a 500 naming
 * the fix; otherwise the stream is read here, up to `maxBodyBytes`), runs the core, writes the
 * answer. Resolves once the answer is written; never rejects (a bug answers 500 and is logged).
 */
export function serveNode(server: NodeServer, req: IncomingMessage & { body?: unknown }, res: ServerResponse, url: string): Promise<void> {
  const method = req.method ?? 'GET';
  const preset = req.body;
  let now: Promise<void> | undefined;
  if (Buffer.isBuffer(preset) || typeof preset === 'string') {
    now = answer(server, req, res, method, url, preset);
  } else if (method !== 'POST' && method.toUpperCase() !== 'POST') {
    now = answer(server, req, res, method, url, undefined);
  } else if (consumed(req)) {
    const parsed = preset !== undefined && preset !== null && typeof preset === 'object';
    refuse(
      server,
      res,
      parsed
        ? bodyParsedResponse(server.framework, server.fix)
        : errorResponse(500, 'body_already_consumed', `The request stream was already consumed by another middleware before bluetick could read the signed bytes.`, server.fix),
    );
  } else {
    return new Promise((resolve) => {
      readNodeBody(req, server.maxBodyBytes, (body) => {
        if (!body.ok) {
          refuse(server, res, body.response);
          return resolve();
        }
        const pending = answer(server, req, res, method, url, body.rawBody);
        if (pending === undefined) resolve();
        else void pending.then(resolve);
      });
    });
  }
  return now ?? Promise.resolve();
}
