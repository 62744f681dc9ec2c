/**
 * The durability harness: a provider that sends fresh signed webhooks (single statuses, batches,
 * inbound messages) to a receiver process and redelivers every one not answered 2xx (as Meta
 * does), the two sinks' receiving ends (an ndjson file and an HTTP endpoint), and the final check:
 * every event of every webhook that got a 2xx reached both sinks at least once, or is in the
 * store's dead-letter list; duplicates only by event id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from '../../src/normalize.js';
import { bundled } from '../helpers/bundle.js';

const CHILD = fileURLToPath(new URL('./receiver-child.ts', import.meta.url));
export const SECRET = 'durability-secret';

/** The receiving end of the HTTP sink: every event id it was sent, with counts. */
export async function startSinkServer(): Promise<{ url: string; ids: Map<string, number>; close: () => Promise<void> }> {
  const ids = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      for (const e of (JSON.parse(text) as { events: Array<{ id: string }> }).events) ids.set(e.id, (ids.get(e.id) ?? 0) + 1);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, ids, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A receiver process; `restart()` starts a new one on the same store. */
export class Receiver {
  child: ChildProcess | null = null;
  url = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'bluetick-durability-'));
  readonly ndjson = join(this.dir, 'events.ndjson');
  constructor(
    private readonly kind: 'postgres' | 'redis',
    private readonly storePort: number,
    private readonly namespace: string,
    private readonly sinkUrl: string,
  ) {}

  async start(): Promise<void> {
    const portFile = join(this.dir, `port-${Date.now()}.json`);
    this.child = spawn(process.execPath, [await bundled(CHILD), this.kind, String(this.storePort), this.namespace, this.ndjson, this.sinkUrl, portFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    for (let i = 0; i < 400 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(portFile)) throw new Error('the receiver did not start');
    this.url = `http://127.0.0.1:${(JSON.parse(readFileSync(portFile, 'utf8')) as { port: number }).port}/`;
  }

  /** Sends a signal and waits for the process to exit. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** Event ids in the ndjson sink's file, with counts. */
  fileIds(): Map<string, number> {
    const ids = new Map<string, number>();
    if (!existsSync(this.ndjson)) return ids;
    for (const line of readFileSync(this.ndjson, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const id = (JSON.parse(line) as { id: string }).id;
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    return ids;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let seq = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** A fresh signed Cloud webhook: `n` statuses, plus one inbound message every third webhook. */
export function webhook(n: number): { body: string; signature: string; eventIds: string[] } {
  const id = ++seq;
  const statuses = Array.from({ length: n }, (_, i) => ({ id: `wamid.dur${run}${id}x${i}`, status: ['sent', 'delivered', 'read'][i % 3], timestamp: String(1750030073 + i), recipient_id: '16505551234' }));
  const messages = id % 3 === 0 ? [{ from: '16505551234', id: `wamid.in${run}${id}`, timestamp: '1750030073', type: 'text', text: { body: `hello ${id}` } }] : [];
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922' }, statuses, messages } }] }] });
  return { body, signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`, eventIds: normalize(body).events.map((e) => e.id) };
}

/**
 * A provider: sends `count` webhooks with `concurrency` in flight, each retried after a short
 * pause until answered 2xx (or until `giveUpAfterMs`). Resolves the event ids of webhooks that
 * got a 2xx. `url()` is read at every attempt, so a restarted receiver is found.
 */
export async function provider(options: { url: () => string; count: number; concurrency: number; batch: (i: number) => number; during?: (sent: number) => Promise<void> | void; giveUpAfterMs?: number }): Promise<{ acknowledged: Set<string>; answers: Map<number, number> }> {
  const acknowledged = new Set<string>();
  const answers = new Map<number, number>();
  let next = 0;
  let sent = 0;
  const deadline = Date.now() + (options.giveUpAfterMs ?? 120_000);
  async function one(i: number): Promise<void> {
    const w = webhook(options.batch(i));
    while (Date.now() < deadline) {
      let status = 0;
      try {
        const res = await fetch(options.url(), { method: 'POST', body: w.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': w.signature }, signal: AbortSignal.timeout(10_000) });
        status = res.status;
        await res.text();
      } catch {
        status = 0; // connection refused or reset: the receiver is down
      }
      answers.set(status, (answers.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) {
        for (const id of w.eventIds) acknowledged.add(id);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.count) {
        const i = next++;
        await one(i);
        sent++;
        await options.during?.(sent);
      }
    }),
  );
  return { acknowledged, answers };
}

/** Waits until `done()` or the timeout. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return done();
}
