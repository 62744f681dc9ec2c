/**
 * HTTP throughput of the Fastify and Express adapters with a signed status webhook, each beside
 * the same framework's bare JSON route (parse + reply) measured in the same run. Target: ours ≥
 * 0.85× the bare route's req/s. autocannon on 127.0.0.1, three interleaved 2 s runs per route
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
  await load(`${base}/webhook`, 1);
  // Three interleaved 2 s rounds each, best kept: on a shared machine noise only slows a round.
  const best = (a: { rps: number; p99: number }, b: { rps: number; p99: number }) => (b.rps > a.rps ? b : a);
  let bare = { rps: 0, p99: 0 };
  let ours = { rps: 0, p99: 0 };
  for (let round = 0; round < 3; round++) {
    bare = best(bare, await load(`${base}/bare`, 2));
    ours = best(ours, await load(`${base}/webhook`, 2));
  }
  console.log(
    `${name.padEnd(9)} bare ${Math.round(bare.rps).toString().padStart(6)} req/s p99 ${bare.p99} ms | bluetick ${Math.round(ours.rps).toString().padStart(6)} req/s p99 ${ours.p99} ms | ratio ${(ours.rps / bare.rps).toFixed(2)}`,
  );
}

console.log(`Node ${process.version}; ${Buffer.byteLength(body)}-byte signed status webhook, 10 connections\n`);

const fastify = Fastify();
fastify.post('/bare', async (request) => ({ ok: true, n: (request.body as { entry: unknown[] }).entry.length }));
await fastify.register(bluetickFastify, { ...options, path: '/webhook' });
await compare('fastify', await fastify.listen({ port: 0, host: '127.0.0.1' }));
await fastify.close();

const app = express();
app.use(bluetickExpress({ ...options, path: '/webhook' }));
app.post('/bare', express.json(), (req, res) => {
  res.json({ ok: true, n: (req.body as { entry: unknown[] }).entry.length });
});
const server = createServer(app);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
await compare('express', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
server.close();
