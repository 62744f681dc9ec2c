import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyParsedResponse, errorResponse, tooLargeResponse } from './responses.js';
import type { WebhookResponse } from './types.js';

/** A raw body read from a Node request, or the response to send instead. */
export type NodeBody = { ok: true; rawBody: Buffer | string | undefined } | { ok: false; response: WebhookResponse };

/**
 * Reads the request stream up to `limit` bytes. Over the limit (by `Content-Length` up front, or
 * while streaming) it stops reading at once, pauses the stream and answers 413 with
 * `Connection: close`, so a 5 MB body is never buffered.
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<NodeBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.resolve({ ok: false, response: tooLargeResponse(limit) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        chunks.length = 0;
        resolve({ ok: false, response: tooLargeResponse(limit) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ ok: true, rawBody: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    };
    const onError = () => {
      cleanup();
      resolve({ ok: false, response: errorResponse(400, 'request_aborted', 'The request body could not be read (client aborted).') });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function consumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req.complete && !req.readable);
}

/**
 * The raw body of a Node request inside a framework: a Buffer or string a raw/text parser already
 * produced is used as is; a parsed object means the bytes are gone (500 naming the fix);
 * otherwise the stream is read here.
 */
export function nodeRawBody(req: IncomingMessage & { body?: unknown }, limit: number, framework: string, fix: string): Promise<NodeBody> {
  const method = (req.method ?? 'GET').toUpperCase();
  const preset = req.body;
  if (Buffer.isBuffer(preset) || typeof preset === 'string') return Promise.resolve({ ok: true, rawBody: preset });
  if (method !== 'POST') return Promise.resolve({ ok: true, rawBody: undefined });
  if (consumed(req)) {
    const parsed = preset !== undefined && preset !== null && typeof preset === 'object';
    const response = parsed
      ? bodyParsedResponse(framework, fix)
      : errorResponse(500, 'body_already_consumed', `The request stream was already consumed by another middleware before bluetick could read the signed bytes.`, fix);
    return Promise.resolve({ ok: false, response });
  }
  return readNodeBody(req, limit);
}

/** Writes a core response to a Node `ServerResponse`. */
export function sendNodeResponse(res: ServerResponse, response: WebhookResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

/** The 500 answer when the handler itself threw (a bug): never the error's text. */
export const internalErrorResponse = (): WebhookResponse => errorResponse(500, 'internal_error', 'The webhook handler failed unexpectedly.');
