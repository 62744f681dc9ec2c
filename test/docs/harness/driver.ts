/**
 * Runs ONE code sample in this process, as a user would run it, and writes what happened as JSON:
 *
 *   node --import tsx test/docs/harness/driver.ts <sample.ts> <report.json>
 *
 * or, bundled by ./bundle.ts (plain node, no tsx), with the sample's bundled module third:
 *
 *   node <bundle>/test/docs/harness/driver.js <sample.ts> <report.json> <bundle>/examples/snippets/<sample>.js
 *
 * Every server the sample starts listens on 127.0.0.1 on a free port instead of the one written
 * (3000), and gets Meta's handshake, signed webhooks and an unsigned one over real HTTP; the
 * entry points its tags name (./spec.ts) are exercised the same way. Secrets are fake
 * (./requests.ts), EVENTS_URL is a local receiver, declared names get stand-ins.
 * Spawned by test/docs/run-samples.test.ts with the sample's own temporary working directory.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { exercise, SAMPLE_ENV, type Exchange, type Transport } from './requests.js';
import { readSampleSpec } from './spec.js';
import { installStandIns, recorded, standIn } from './stand-ins.js';
import { fetchTransport, handlerTransport, httpTransport, lambdaTransport } from './transports.js';

export interface SampleReport {
  /** Each entry point exercised: a server the sample started, or an export its tags name. */
  entries: Array<{ entry: string; exchanges: Exchange[] }>;
  /** What the sample wrote through console.error / console.warn. */
  errorOutput: string[];
  /** Uncaught exceptions and unhandled rejections while it ran. */
  uncaught: string[];
  /** Calls to stand-ins of declared names. */
  recorded: Record<string, number>;
  /** Requests the local EVENTS_URL receiver got. */
  eventsReceived: number;
  /** A failure of the harness itself (import error, timeout). */
  failure?: string;
}

const [samplePath = '', reportPath = '', bundledModule] = process.argv.slice(2);
const report: SampleReport = { entries: [], errorOutput: [], uncaught: [], recorded, eventsReceived: 0 };
const finish = (code = 0) => {
  writeFileSync(reportPath, JSON.stringify(report, null, 2));
  process.exit(code);
};
setTimeout(() => {
  report.failure = 'the sample did not finish within 20 s';
  finish();
}, 20_000).unref();

for (const level of ['error', 'warn'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    report.errorOutput.push(format(...args));
    original(...args);
  };
}
process.on('uncaughtException', (error) => void report.uncaught.push(String(error?.stack ?? error)));
process.on('unhandledRejection', (error) => void report.uncaught.push(String((error as Error)?.stack ?? error)));

// A local receiver for the samples' outbound URLs (an HTTP sink's EVENTS_URL): 200 to everything.
const events = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume().on('end', () => {
    report.eventsReceived++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((done) => events.listen(0, '127.0.0.1', done));
const eventsPort = (events.address() as { port: number }).port;

// Every server the sample (or its framework) starts: on 127.0.0.1, on a free port.
const servers: Server[] = [];
const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  const callback = args.find((a) => typeof a === 'function');
  servers.push(this);
  return listen.call(this, { port: 0, host: '127.0.0.1' }, callback as () => void);
} as typeof Server.prototype.listen;

async function run(): Promise<void> {
  const spec = readSampleSpec(samplePath);
  Object.assign(process.env, SAMPLE_ENV, { EVENTS_URL: `http://127.0.0.1:${eventsPort}/events` });
  installStandIns(spec.declared);
  // `if (import.meta.url === file://argv[1])` blocks run, as with `node --import tsx sample.ts`.
  // (A bundled sample keeps its source's import.meta.url: ./bundle.ts.)
  process.argv[1] = resolve(samplePath);
  const mod = (await import(pathToFileURL(resolve(bundledModule ?? samplePath)).href)) as Record<string, unknown>;

  const transports: Array<[string, Transport]> = [];
  const env = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? (process.env[name] ?? standIn(`env.${name}`)) : undefined) });
  for (const { kind, name } of spec.entries) {
    const value = mod[name];
    if (value === undefined) throw new Error(`the sample exports no "${name}" (@sample-${kind} ${name})`);
    if (kind === 'call') await (value as () => unknown)();
    else if (kind === 'mount') {
      const { default: express } = await import('express');
      const app = express();
      await (value as (app: unknown) => unknown)(app);
      app.listen();
    } else if (kind === 'serve') {
      const server = createHttpServer(value as (req: IncomingMessage, res: ServerResponse) => void);
      server.listen();
    } else if (kind === 'fetch') transports.push([`fetch export ${name}`, fetchTransport(value, env)]);
    else if (kind === 'handler') transports.push([`handler export ${name}`, handlerTransport(value)]);
    else for (const format of ['v1', 'v2', 'url'] as const) transports.push([`lambda export ${name} (${format})`, lambdaTransport(value, format)]);
  }
  await Promise.all(servers.map((s) => (s.listening ? undefined : new Promise((done) => s.once('listening', done)))));
  for (const [i, server] of servers.entries()) transports.push([`server #${i + 1} it started`, httpTransport(server)]);
  for (const [entry, transport] of transports) report.entries.push({ entry, exchanges: await exercise(transport, spec.webhookPath) });
  // Give listeners (transition handlers, sinks) a moment to run and report their errors.
  await new Promise((done) => setTimeout(done, 100));
}

try {
  await run();
} catch (error) {
  report.failure = String((error as Error)?.stack ?? error);
}
finish();
