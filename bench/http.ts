/**
 * HTTP throughput of the Fastify and Express adapters with a signed status webhook, each beside
 * two routes of the same framework measured in the same run: its bare JSON route (parse + reply,
 * no verification: the target, ours ≥ 0.85× its req/s) and the verifying route a user
 * would write by hand (the raw bytes, `createHmac` + `timingSafeEqual`, `JSON.parse`, reply). autocannon on 127.0.0.1, three interleaved 2 s runs per route
 * after a 1 s warm-up (best kept), about 30 s in all. Server and load generator share this process (and the machine's
 * cores), so compare the ratio, not the absolute numbers.
 *
 *   node --import tsx bench/http.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import Fastify from 'fastify';
import { bluetickExpress } from '../src/http/express.js';
import { bluetickFastify } from '../src/http/fastify.js';
import { signMetaPayload } from '../src/verify/meta.js';
import { verifyAndParse } from './hand-verified.js';

const SECRET = 'bench-app-secret';
const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/cloud/netflie-status-with-pricing.json');
const body = existsSync(fixture)
  ? JSON.stringify(JSON.parse(readFileSync(fixture, 'utf8')))
  : '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"statuses":[{"id":"wamid.X","status":"delivered","timestamp":"1700000000","recipient_id":"15551234567","pricing":{"billable":true,"pricing_model":"CBP","category":"utility"}}]}}]}]}';
const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(body, SECRET) };
// Verify and normalize only, as the bare route parses only: the events are dropped on purpose.
const options = { cloud: { appSecret: SECRET }, discardEvents: true as const, logger: { warn: () => undefined, error: console.error } };

async function load(url: string, seconds: number) {
  const result = await autocannon({ url, method: 'POST', headers, body, connections: 10, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function compare(name: string, base: string) {
  await load(`${base}/bare`, 1);
  await load(`${base}/verified`, 1);
  await load(`${base}/webhook`, 1);
  // Three interleaved 2 s rounds each, best kept: on a shared machine noise only slows a round.
  const best = (a: { rps: number; p99: number }, b: { rps: number; p99: number }) => (b.rps > a.rps ? b : a);
  let bare = { rps: 0, p99: 0 };
  let verified = { rps: 0, p99: 0 };
  let ours = { rps: 0, p99: 0 };
  for (let round = 0; round < 3; round++) {
    bare = best(bare, await load(`${base}/bare`, 2));
    verified = best(verified, await load(`${base}/verified`, 2));
    ours = best(ours, await load(`${base}/webhook`, 2));
  }
  const rps = (r: { rps: number }) => Math.round(r.rps).toString().padStart(6);
  console.log(
    `${name.padEnd(8)} bare ${rps(bare)} req/s p99 ${bare.p99} ms | hand-verified ${rps(verified)} req/s p99 ${verified.p99} ms | bluetick ${rps(ours)} req/s p99 ${ours.p99} ms | ×${(ours.rps / bare.rps).toFixed(2)} of bare (target ≥ 0.85), ×${(ours.rps / verified.rps).toFixed(2)} of hand-verified`,
  );
}

console.log(`Node ${process.version}; ${Buffer.byteLength(body)}-byte signed status webhook, 10 connections\n`);

const fastify = Fastify();
fastify.post('/bare', async (request) => ({ ok: true, n: (request.body as { entry: unknown[] }).entry.length }));
await fastify.register(async (scope) => {
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, raw, done) => done(null, raw));
  scope.post('/verified', async (request, reply) => {
    const parsed = verifyAndParse<{ entry: unknown[] }>(request.body as Buffer, request.headers['x-hub-signature-256'], SECRET);
    return parsed === null ? reply.code(401).send() : { ok: true, n: parsed.entry.length };
  });
});
await fastify.register(bluetickFastify, { ...options, path: '/webhook' });
await compare('fastify', await fastify.listen({ port: 0, host: '127.0.0.1' }));
await fastify.close();

const app = express();
app.use(bluetickExpress({ ...options, path: '/webhook' }));
app.post('/bare', express.json(), (req, res) => {
  res.json({ ok: true, n: (req.body as { entry: unknown[] }).entry.length });
});
app.post('/verified', express.raw({ type: 'application/json' }), (req, res) => {
  const parsed = verifyAndParse<{ entry: unknown[] }>(req.body as Buffer, req.headers['x-hub-signature-256'], SECRET);
  if (parsed === null) res.status(401).end();
  else res.json({ ok: true, n: parsed.entry.length });
});
const server = createServer(app);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
await compare('express', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
server.close();
