/** How the harness reaches each kind of entry point a sample has (see ./spec.ts). */
import type { AddressInfo, Server } from 'node:net';
import type { Context } from 'aws-lambda';
import { functionUrlEvent, v1Event, v2Event } from '../../http/lambda-events.js';
import type { Transport } from './requests.js';

/** Real HTTP on 127.0.0.1 to a listening server. */
export function httpTransport(server: Server): Transport {
  const { port } = server.address() as AddressInfo;
  return async (request) => {
    const response = await fetch(`http://127.0.0.1:${port}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    return { status: response.status, body: await response.text() };
  };
}

type FetchLike = (request: Request, env?: unknown, context?: unknown) => Promise<Response> | Response;

/** A Fetch handler, or an object with `fetch(request, env)` (Workers, Hono), called with a Web Request. */
export function fetchTransport(entry: unknown, env: unknown): Transport {
  const call: FetchLike =
    typeof entry === 'function'
      ? (entry as FetchLike)
      : typeof (entry as { fetch?: unknown } | null)?.fetch === 'function'
        ? (request, e) => (entry as { fetch: FetchLike }).fetch(request, e, { waitUntil: () => undefined, passThroughOnException: () => undefined })
        : (() => {
            throw new Error('not a Fetch handler: a function or an object with fetch() was expected');
          })();
  return async (request) => {
    const response = await call(new Request(`http://127.0.0.1${request.path}`, { method: request.method, headers: request.headers, body: request.body }), env);
    return { status: response.status, body: await response.text() };
  };
}

type LambdaLike = (event: unknown, context: Context, callback: () => void) => unknown;

/** A Lambda handler invoked with API Gateway REST (v1), HTTP API (v2) or function URL events. */
export function lambdaTransport(handler: unknown, format: 'v1' | 'v2' | 'url'): Transport {
  if (typeof handler !== 'function') throw new Error('not a Lambda handler');
  const build = format === 'v1' ? v1Event : format === 'v2' ? v2Event : functionUrlEvent;
  return async (request) => {
    const init = { method: request.method, path: request.path, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) };
    const result = (await (handler as LambdaLike)(build(init), {} as Context, () => undefined)) as { statusCode: number; body: string; isBase64Encoded?: boolean };
    const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
    return { status: result.statusCode, body };
  };
}

type CoreHandler = (request: { method: string; url: string; headers: Record<string, string>; rawBody?: Uint8Array }) => Promise<{ status: number; body: string }>;

/** The framework-agnostic handler of createWebhookHandler(), called with the request's bytes. */
export function handlerTransport(handler: unknown): Transport {
  if (typeof handler !== 'function') throw new Error('not a webhook handler');
  return async (request) => {
    const response = await (handler as CoreHandler)({ method: request.method, url: request.path, headers: request.headers, ...(request.body === undefined ? {} : { rawBody: Buffer.from(request.body) }) });
    return { status: response.status, body: response.body };
  };
}
