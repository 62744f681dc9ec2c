/**
 * The HTTP adapters against the route a user would write by hand in the same framework (issue 11:
 * Fastify and Express ≥ ×0.85 of their bare routes; the node listener as close to its limit as
 * honest work allows). Each route runs in its own process (bench/http/server.ts), so the load
 * generator (autocannon, here, 32 connections) never counts as the server's work:
 *
 * - bare: raw bytes read the framework's usual way, Meta's HMAC (`createHmac` + `timingSafeEqual`),
 *   `JSON.parse`, the same JSON answer bluetick gives;
 * - bluetick: the adapter verifying and normalizing with the same secret (events to a no-op `onEvents`).
 *
 * Every request is a FRESH Cloud statuses webhook (new message ids), freshly signed. After a
 * warm-up, the two routes of a framework take turns for `--rounds` rounds of `--seconds` each
 * (the order alternating), and the bench prints, per route, the median req/s and the median
 * server CPU per request (user + system µs of the server process / requests answered), each with
 * its range, then the per-round ratios bluetick / bare (median and range). On a shared machine the
 * CPU ratio is the steadier figure: another process's load slows a round's req/s, but hardly
 * changes the CPU a request costs.
 *
 *   node --import tsx bench/http.ts [--only node,fastify,express] [--rounds 5] [--seconds 3] [--batch 1] [--connections 32]
 *   BENCH_PROF=/tmp/prof node --import tsx bench/http.ts --only fastify   # servers run with --cpu-prof
 *   BENCH_BASE=/tmp/old-checkout node --import tsx bench/http.ts           # adds that checkout's adapters as route `base`
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freshStatusesRequest } from './fresh-webhook.js';
import { median, spread } from './harness.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'node,fastify,express' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const batch = Number(values.batch);
const connections = Number(values.connections);
const here = dirname(fileURLToPath(import.meta.url));
interface Server {
  url: string;
  /** Requests answered so far (warm-up included): divides a CPU profile's time. */
  served: number;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function start(framework: string, route: string): Promise<Server> {
  const prof = process.env.BENCH_PROF;
  const execArgv = ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${join(prof, `${framework}-${route}`)}`] : [])];
  const child: ChildProcess = fork(join(here, 'http', 'server.ts'), [framework, route], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: { resolve: (m: Record<string, number>) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (m) => waiting?.resolve(m as Record<string, number>));
  child.once('exit', (code) => waiting?.reject(new Error(`${framework} ${route} exited (${code})`)));
  const next = () => new Promise<Record<string, number>>((resolve, reject) => (waiting = { resolve, reject }));
  const { port } = await next();
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    served: 0,
    cpu: async () => {
      const reply = next();
      child.send('cpu');
      return (await reply).cpu as number;
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send('exit');
      await exited;
    },
  };
}

interface Round {
  rps: number;
  /** Server CPU per answered request, µs. */
  cpu: number;
  p99: number;
}

async function load(server: Server, durationS: number): Promise<Round> {
  const before = await server.cpu();
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    connections,
    duration: durationS,
    requests: [{ setupRequest: (req) => ({ ...req, ...freshStatusesRequest(batch) }) }],
  });
  const after = await server.cpu();
  server.served += result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, cpu: (after - before) / result['2xx'], p99: result.latency.p99 };
}

async function compare(framework: string): Promise<void> {
  const routes = ['bare', 'bluetick', ...(process.env.BENCH_BASE ? ['base'] : [])];
  const servers = new Map<string, Server>();
  try {
    for (const route of routes) servers.set(route, await start(framework, route));
    for (const route of routes) await load(servers.get(route) as Server, 2); // warm-up: JIT, connection setup
    const results = new Map<string, Round[]>(routes.map((route) => [route, []]));
    for (let round = 0; round < rounds; round++) {
      // The order alternates, so no route always runs right after the same other one.
      const order = round % 2 === 0 ? routes : [...routes].reverse();
      for (const route of order) (results.get(route) as Round[]).push(await load(servers.get(route) as Server, seconds));
    }
    console.log(`\n${framework}`);
    const bare = results.get('bare') as Round[];
    for (const route of routes) {
      const rs = results.get(route) as Round[];
      console.log(`  ${route.padEnd(9)} ${spread(rs.map((r) => r.rps), 0).padStart(22)} req/s   ${spread(rs.map((r) => r.cpu), 1).padStart(20)} µs CPU/req   p99 ${median(rs.map((r) => r.p99))} ms`);
    }
    for (const route of routes.slice(1)) {
      const rs = results.get(route) as Round[];
      const rps = rs.map((r, i) => r.rps / (bare[i] as Round).rps);
      const cpu = rs.map((r, i) => (bare[i] as Round).cpu / r.cpu);
      console.log(`  ${route} / bare: req/s ×${spread(rps, 2)}, CPU per request (bare ÷ ${route}) ×${spread(cpu, 2)}   target ≥ ×0.85`);
    }
    if (process.env.BENCH_PROF) for (const route of routes) console.log(`  ${route}: ${(servers.get(route) as Server).served} requests in its profile`);
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

console.log(`Node ${process.version}; ${connections} connections; ${batch === 1 ? 'one status' : `${batch} statuses`} per request, fresh signed ids; ${rounds} interleaved rounds of ${seconds} s per route`);
for (const framework of values.only.split(',')) await compare(framework);
