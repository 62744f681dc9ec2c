/**
 * Receivers under production-like load, side by side in one run (issue "Durable ingest"): each
 * receiver runs in its own process (bench/receiver/server.ts) and autocannon drives it from this
 * one with 32 connections, every request a FRESH, freshly signed Cloud statuses webhook (new
 * message ids each time: no dedupe shortcut), single statuses and 50-status batches.
 *
 * Ratios printed (targets of the issue):
 *   bluetick on PostgreSQL / hand-written multi-row upsert handler, same pool size  (≥ 1.0)
 *   bluetick on PostgreSQL / that handler with dedupe and an outbox, by hand     (the same promises)
 *   bluetick on Redis      / the same hand-written PostgreSQL handler               (≥ the PostgreSQL ratio)
 *   bluetick on memory     / the verify+parse limit   (≥ 0.6 single, ≥ 0.5 batches; p99 < 20 ms)
 *   hand-written in-memory handler (Set + Map) / the verify+parse limit, and bluetick on memory / it
 *   node listener, no tracker / the verify+parse limit (the adapter's own cost)
 *
 * Each round runs every receiver once, in turn; the figures are medians over `--rounds` (default 3),
 * with the range of the per-round ratios.
 *
 *   node --import tsx bench/receiver.ts [--seconds 5] [--rounds 3] [--only memory,postgres,redis,adapter] [--batch 1,50]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freshStatusesRequest } from './fresh-webhook.js';
import { median, spread } from './harness.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, only: { type: 'string', default: 'adapter,memory,postgres,redis' }, batch: { type: 'string', default: '1,50' }, connections: { type: 'string', default: '32' }, rounds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Math.max(1, Number(values.rounds));
const only = new Set(values.only.split(','));
const batches = values.batch.split(',').map(Number);
const here = dirname(fileURLToPath(import.meta.url));
async function start(kind: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bluetick-bench-'));
  const portFile = join(dir, 'port.json');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(here, 'receiver', 'server.ts'), kind, portFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 600 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(portFile)) throw new Error(`${kind}: the receiver did not start`);
  await new Promise((r) => setTimeout(r, 100));
  const { port } = JSON.parse(readFileSync(portFile, 'utf8')) as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Result {
  rps: number;
  p99: number;
}

async function load(url: string, n: number, durationS: number): Promise<Result> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: durationS,
    requests: [{ setupRequest: (req) => ({ ...req, ...freshStatusesRequest(n) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function measure(kind: string, n: number): Promise<Result> {
  const server = await start(kind);
  try {
    await load(server.url, n, 1); // warm-up: JIT, pools, prepared caches
    return await load(server.url, n, seconds);
  } finally {
    await server.stop();
  }
}

/**
 * One line: median req/s and p99 over the rounds and, against a baseline, the median and range of
 * the per-round ratios (each round measures its own baseline just before, so a slow minute of
 * this shared machine moves both sides of a ratio).
 */
function line(name: string, runs: Result[], base?: Result[]): void {
  const ratios = base ? runs.map((r, i) => r.rps / (base[i] as Result).rps) : [];
  const ratio = base ? `   ×${runs.length > 1 ? spread(ratios, 2) : median(ratios).toFixed(2)}` : '';
  console.log(`  ${name.padEnd(42)} ${Math.round(median(runs.map((r) => r.rps))).toString().padStart(7)} req/s  p99 ${String(median(runs.map((r) => r.p99))).padStart(4)} ms${ratio}`);
}

console.log(`Node ${process.version}; ${connections} connections, ${seconds} s per receiver, ${rounds} interleaved round(s), fresh signed message ids in every request`);
for (const n of batches) {
  console.log(`\n${n === 1 ? 'single status' : `${n}-status batches`} per request`);
  const runs = new Map<string, Result[]>();
  const run = async (kind: string) => runs.set(kind, [...(runs.get(kind) ?? []), await measure(kind, n)]);
  for (let r = 0; r < rounds; r++) {
    await run('limit');
    if (only.has('adapter')) await run('node-listener');
    if (only.has('memory')) await run('handwritten-memory');
    if (only.has('memory')) await run('bluetick-memory');
    if (only.has('postgres') || only.has('redis')) await run('handwritten-pg');
    if (only.has('postgres')) await run('handwritten-pg-durable');
    if (only.has('postgres')) await run('bluetick-postgres');
    if (only.has('redis')) await run('bluetick-redis');
  }
  const of = (kind: string) => runs.get(kind) as Result[];
  line('verify + parse limit', of('limit'));
  if (only.has('adapter')) line('node listener, no tracker', of('node-listener'), of('limit'));
  if (only.has('memory')) line('bluetick, memory store', of('bluetick-memory'), of('limit'));
  if (only.has('memory')) line('hand-written in-memory (Set + Map)', of('handwritten-memory'), of('limit'));
  if (only.has('memory')) line('bluetick, memory store (vs the line above)', of('bluetick-memory'), of('handwritten-memory'));
  if (only.has('postgres') || only.has('redis')) line('hand-written PostgreSQL upsert', of('handwritten-pg'));
  if (only.has('postgres')) line('bluetick, postgresStore (vs hand-written)', of('bluetick-postgres'), of('handwritten-pg'));
  if (only.has('postgres')) line('hand-written, with dedupe and an outbox', of('handwritten-pg-durable'), of('handwritten-pg'));
  if (only.has('postgres')) line('bluetick, postgresStore (vs the line above)', of('bluetick-postgres'), of('handwritten-pg-durable'));
  if (only.has('redis')) line('bluetick, redisStore (vs hand-written pg)', of('bluetick-redis'), of('handwritten-pg'));
}
