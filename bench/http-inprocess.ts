/**
 * The node listener's own JavaScript cost, without sockets: bench/http.ts's two node routes (the
 * hand-written verify + parse route and `createNodeListener` with a no-op `onEvents`) called in
 * this process with an in-memory request stream and a response that records what is written, 32
 * requests in flight. The kernel's and the HTTP parser's share of a request (the larger part, and
 * the noisiest on a shared machine) is left out, so this shows what the adapter itself adds:
 * CPU µs per request (user + system), median and range of interleaved rounds.
 *
 *   node --import tsx bench/http-inprocess.ts
 *   BENCH_BASE=/tmp/old-checkout node --import tsx bench/http-inprocess.ts   # adds that checkout's listener
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { createNodeListener } from '../src/http/node.js';
import { verifyAndParse } from './hand-verified.js';
import { median, spread } from './harness.js';

const SECRET = 'bench-app-secret';
type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;
type Parsed = { entry: Array<{ changes: Array<{ value: { statuses?: unknown[] } }> }> };

let seq = 0;
function request(): { body: Buffer; headers: Record<string, string> } {
  const id = ++seq;
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [{ id: `wamid.inprocess${id}`, status: 'delivered', timestamp: String(1750030073 + (id % 1000)), recipient_id: `1650555${String(id % 10_000).padStart(4, '0')}`, pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } }] } }] }] });
  const headers = { host: '127.0.0.1', connection: 'keep-alive', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
  return { body: Buffer.from(body), headers };
}
// Fresh ids, signed ahead: the signing is not the server's work.
const requests = Array.from({ length: 4000 }, request);

function fakeRequest(r: { body: Buffer; headers: Record<string, string> }): IncomingMessage {
  const stream = Object.assign(new PassThrough(), { headers: r.headers, method: 'POST', url: '/webhook', complete: false });
  stream.end(r.body);
  return stream as unknown as IncomingMessage;
}

function fakeResponse(done: () => void): ServerResponse {
  let status = 0;
  const res = {
    headersSent: false,
    writeHead(code: number) {
      status = code;
      res.headersSent = true;
      return res;
    },
    end(body?: string) {
      if (status !== 200) throw new Error(`answered ${status}: ${body}`);
      done();
    },
  };
  return res as unknown as ServerResponse;
}

const bare: Listener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const parsed = verifyAndParse<Parsed>(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), req.headers['x-hub-signature-256'], SECRET);
    if (parsed === null) return void res.writeHead(401).end();
    let statuses = 0;
    for (const e of parsed.entry) for (const c of e.changes) statuses += c.value.statuses?.length ?? 0;
    const body = JSON.stringify({ ok: true, provider: 'cloud', received: statuses, messages: 0, statuses, errors: 0, notifications: 0 });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  });
};

const options = { cloud: { appSecret: SECRET }, onEvents: () => undefined };
const routes: Record<string, Listener> = { bare, bluetick: createNodeListener(options) };
if (process.env.BENCH_BASE) {
  const base = (await import(`${process.env.BENCH_BASE}/src/http/node.js`)) as typeof import('../src/http/node.js');
  routes.base = base.createNodeListener(options);
}

/** CPU µs per request for `n` requests, 32 in flight. */
async function round(listener: Listener, n: number): Promise<number> {
  let next = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < n) {
        const r = requests[next++ % requests.length] as (typeof requests)[number];
        await new Promise<void>((done) => void listener(fakeRequest(r), fakeResponse(done)));
      }
    }),
  );
  const used = process.cpuUsage(started);
  return (used.user + used.system) / n;
}

const names = Object.keys(routes);
for (let warm = 0; warm < 3; warm++) for (const name of names) await round(routes[name] as Listener, 20_000);
const results = new Map<string, number[]>(names.map((name) => [name, []]));
for (let r = 0; r < 9; r++) for (const name of r % 2 === 0 ? names : [...names].reverse()) (results.get(name) as number[]).push(await round(routes[name] as Listener, 30_000));

console.log(`Node ${process.version}; one fresh signed status per request, 32 in flight, 9 interleaved rounds of 30k requests; CPU µs per request`);
const bareMedian = median(results.get('bare') as number[]);
for (const name of names) {
  const xs = results.get(name) as number[];
  const ratio = name === 'bare' ? '' : `   ×${(bareMedian / median(xs)).toFixed(2)} of bare`;
  console.log(`  ${name.padEnd(9)} ${spread(xs, 2)} µs${ratio}`);
}
