/**
 * Values for the names a sample declares (`declare const db: …`) because the reader's own code
 * has them. Known names get realistic values; any other name gets a recorder: a callable object
 * whose every property is itself, and whose calls resolve to undefined.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { normalize } from '../../../src/index.js';
import { SAMPLE_BODIES } from './requests.js';

/** Names the harness can satisfy with something better than a recorder. */
const KNOWN: Record<string, () => unknown> = {
  // A webhook body as received (the README's normalize() sample).
  rawBody: () => SAMPLE_BODIES.statuses,
  // A canonical event (a status, with the recipient's phone number).
  event: () => normalize(SAMPLE_BODIES.statuses).events[0],
  // What the Cloud API answered to a send.
  response: () => ({ messages: [{ id: 'wamid.SAMPLE-SENT' }] }),
  WABA_ID: () => '102290129340398',
  // Bun and Deno serve a Fetch handler: here a Node server bridges to it, so it is exercised too.
  Bun: () => ({ serve: (options: { port: number; fetch: FetchHandler }) => serveFetch(options.fetch) }),
  Deno: () => ({ serve: (_options: { port: number }, handler: FetchHandler) => serveFetch(handler) }),
};

type FetchHandler = (request: Request) => Promise<Response> | Response;

/** A Node HTTP server in front of a Fetch handler (its listen() is captured like any other). */
export function serveFetch(handler: FetchHandler) {
  const server = createServer((req, res) => void bridge(handler, req, res));
  return server.listen(0);
}

async function bridge(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const requestHeaders = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') requestHeaders.set(name, value);
  const method = req.method ?? 'GET';
  const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method, headers: requestHeaders, body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks) });
  const response = await handler(request);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Calls made to recorders, by name (reported, so a test can see a sample's side effects). */
export const recorded: Record<string, number> = {};

function recorder(name: string): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    // Not a thenable (await would hang), printable as text, and anything else is itself.
    get: (_t, property) => (property === 'then' ? undefined : property === Symbol.toPrimitive ? () => `<${name}>` : proxy),
    apply: () => {
      recorded[name] = (recorded[name] ?? 0) + 1;
      return Promise.resolve(undefined);
    },
  });
  return proxy;
}

/** Defines a global for each declared name. */
export function installStandIns(names: readonly string[]): void {
  for (const name of names) {
    (globalThis as Record<string, unknown>)[name] = KNOWN[name]?.() ?? recorder(name);
  }
}

/** A recorder for `name` (also used for Workers' `env` bindings). */
export function standIn(name: string): unknown {
  return recorder(name);
}
