/**
 * One server of bench/http.ts, in its own process (so the load generator's work never counts as
 * the server's, and the server's CPU time per request can be read on its own). argv:
 * <framework> <route>, framework `node | fastify | express`, route:
 *
 * - `bare`: the route a user writes by hand in that framework: the raw bytes read the framework's
 *   usual way (node: the `data` events; Fastify: a `parseAs: 'buffer'` content-type parser;
 *   Express: `express.raw()`), Meta's HMAC checked (bench/hand-verified.ts), `JSON.parse`, and the
 *   same JSON answer bluetick gives (`{ ok, provider, received, messages, statuses, … }`) sent
 *   the framework's usual way (`reply.send(object)`, `res.json(object)`, `res.end(string)`).
 * - `bluetick`: the adapter (`createNodeListener`, `bluetickFastify`, `bluetickExpress`) verifying
 *   and normalizing with the same secret, events handed to an `onEvents` that does nothing.
 *
 * - `base`: `bluetick` with the adapters of another checkout, `BENCH_BASE` (its root directory), for
 *   an A/B of two versions in one run.
 *
 * Talks to the parent over IPC: sends `{ port }` once listening, answers `'cpu'` with
 * `{ cpu: µs of user + system time so far }`, exits on `'exit'`.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { verifyAndParse } from '../hand-verified.js';
import { BENCH_SECRET } from '../fresh-webhook.js';

const PATH = '/webhook';
const options = { cloud: { appSecret: BENCH_SECRET }, onEvents: () => undefined, logger: { warn: () => undefined, error: console.error } };

type Parsed = { object: string; entry: Array<{ changes: Array<{ value: { statuses?: unknown[]; messages?: unknown[] } }> }> };

/** The answer bluetick gives, computed from the parsed body (what a hand-written route would count). */
function ack(parsed: Parsed) {
  let statuses = 0;
  let messages = 0;
  for (const entry of parsed.entry) for (const change of entry.changes) {
    statuses += change.value.statuses?.length ?? 0;
    messages += change.value.messages?.length ?? 0;
  }
  return { ok: true, provider: 'cloud', received: statuses + messages, messages, statuses, errors: 0, notifications: 0 };
}

function nodeBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function listen(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function start(framework: string, route: string): Promise<number> {
  const src = route === 'base' ? `${process.env.BENCH_BASE as string}/src` : new URL('../../src', import.meta.url).pathname;
  if (route === 'base') route = 'bluetick';
  const { createNodeListener } = (await import(`${src}/http/node.js`)) as typeof import('../../src/http/node.js');
  const { bluetickFastify } = (await import(`${src}/http/fastify.js`)) as typeof import('../../src/http/fastify.js');
  const { bluetickExpress } = (await import(`${src}/http/express.js`)) as typeof import('../../src/http/express.js');
  if (framework === 'node') {
    if (route === 'bluetick') return listen(createNodeListener(options));
    return listen((req: IncomingMessage, res: ServerResponse) => {
      void nodeBody(req).then((raw) => {
        const parsed = verifyAndParse<Parsed>(raw, req.headers['x-hub-signature-256'], BENCH_SECRET);
        if (parsed === null) return void res.writeHead(401).end();
        const body = JSON.stringify(ack(parsed));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
      });
    });
  }
  if (framework === 'fastify') {
    const app = Fastify();
    if (route === 'bluetick') {
      await app.register(bluetickFastify, { ...options, path: PATH });
    } else {
      await app.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, raw, done) => done(null, raw));
        scope.post(PATH, async (request, reply) => {
          const parsed = verifyAndParse<Parsed>(request.body as Buffer, request.headers['x-hub-signature-256'], BENCH_SECRET);
          return parsed === null ? reply.code(401).send() : ack(parsed);
        });
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  }
  if (framework === 'express') {
    const app = express();
    // No ETag on the bare route's answer (bluetick's answer has none): the baseline stays the cheapest honest route.
    app.set('etag', false);
    if (route === 'bluetick') {
      app.use(bluetickExpress({ ...options, path: PATH }));
    } else {
      app.post(PATH, express.raw({ type: 'application/json' }), (req, res) => {
        const parsed = verifyAndParse<Parsed>(req.body as Buffer, req.headers['x-hub-signature-256'], BENCH_SECRET);
        if (parsed === null) res.status(401).end();
        else res.json(ack(parsed));
      });
    }
    return listen(app);
  }
  throw new Error(`unknown framework ${framework}`);
}

const [framework = 'node', route = 'bare'] = process.argv.slice(2);
const port = await start(framework, route);
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  } else if (message === 'exit') {
    process.exit(0);
  }
});
process.send?.({ port });
