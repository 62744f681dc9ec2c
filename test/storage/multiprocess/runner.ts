/**
 * The generic multi-process scenario for any {@link StateStore}: N worker processes ingest their
 * own shuffles (with duplicates) of the same status events through `createTracker`, at the same
 * time, against one shared store. {@link verifyOutcome} then checks that:
 *
 * - every final stored state equals the sequential fold (`applyEvent` reduce), field by field;
 * - transitions (changes of PRESENTED STATUS, see classifyChange) were emitted exactly once
 *   across all processes: per key, the union of every process's transitions is ONE chain
 *   `null → s1 → … → final status` (the merges of a key are serialized by the store, so the
 *   statuses it passed through form one sequence), each link emitted once, none missing, none
 *   doubled, and it ends at the final presented status.
 *
 * Usage from a test: `const outcome = await runMultiprocess({ storeModule, env })`, then
 * `expect(await verifyOutcome(outcome, (key) => store.get(key))).toEqual([])`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusEvent } from '../../../src/event/types.js';
import { stateKey } from '../../../src/state/key.js';
import { applyEvent } from '../../../src/state/merge.js';
import { observe } from '../../../src/state/observe.js';
import { present } from '../../../src/state/present.js';
import type { DeliveryState } from '../../../src/state/state.js';
import { generateEvents } from './dataset.js';
import { canonicalJson, type WorkerOutput } from './protocol.js';
import { bundledTogether } from '../../helpers/bundle.js';

export interface MultiprocessOptions {
  /** Absolute path of a module exporting `createStore(): Promise<StateStore>`. */
  storeModule: string;
  /** Extra environment for the workers (connection settings, schema names). */
  env?: Record<string, string>;
  workers?: number;
  /** Status events in the data set. Default 20 000. */
  events?: number;
  seed?: number;
  /** Kill the workers and fail after this long. Default 120 s. */
  timeoutMs?: number;
}

export interface MultiprocessOutcome {
  events: StatusEvent[];
  outputs: WorkerOutput[];
  wallMs: number;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Spawns the workers, starts them together, and collects their reports. */
export async function runMultiprocess(options: MultiprocessOptions): Promise<MultiprocessOutcome> {
  const workers = options.workers ?? 4;
  const count = options.events ?? 8_000;
  const seed = options.seed ?? 20_240_601;
  const dir = mkdtempSync(join(tmpdir(), 'bluetick-mp-'));
  // Plain node on the worker and the store module bundled together (test/helpers/bundle.ts).
  const [worker, storeModule] = (await bundledTogether([WORKER, options.storeModule])) as [string, string];
  const children = Array.from({ length: workers }, (_, w) => {
    const out = join(dir, `worker-${w}.json`);
    const child = spawn(process.execPath, [worker, storeModule, String(seed), String(count), String(seed * 31 + w + 1), out], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker ${w} exited (${code}) before ready:\n${stderr}`)));
    });
    const done = new Promise<WorkerOutput>((resolve, reject) => {
      child.once('exit', (code) => {
        if (code === 0) resolve(JSON.parse(readFileSync(out, 'utf8')) as WorkerOutput);
        else reject(new Error(`worker ${w} failed (exit ${code}):\n${stderr}`));
      });
    });
    done.catch(() => undefined);
    ready.catch(() => undefined);
    return { child, ready, done };
  });
  const timer = setTimeout(() => children.forEach((c) => c.child.kill('SIGKILL')), options.timeoutMs ?? 120_000);
  try {
    await Promise.all(children.map((c) => c.ready));
    const start = performance.now();
    for (const c of children) c.child.stdin.end('go\n');
    const outputs = await Promise.all(children.map((c) => c.done));
    return { events: generateEvents(seed, count), outputs, wallMs: performance.now() - start };
  } finally {
    clearTimeout(timer);
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sequential fold of the events per state key: what the store must hold. */
export function expectedStates(events: readonly StatusEvent[]): Map<string, DeliveryState> {
  const out = new Map<string, DeliveryState>();
  for (const e of events) {
    const key = stateKey(observe(e));
    out.set(key, applyEvent(out.get(key) ?? null, e));
  }
  return out;
}

/** Problems found (empty when the store behaved), at most `limit` of them. */
export async function verifyOutcome(outcome: MultiprocessOutcome, read: (key: string) => Promise<DeliveryState | null>, limit = 20): Promise<string[]> {
  const problems: string[] = [];
  const report = (p: string) => problems.length < limit && problems.push(p);
  const expected = expectedStates(outcome.events);

  for (const [key, want] of expected) {
    const got = await read(key);
    if (got === null) {
      report(`${key}: missing from the store`);
      continue;
    }
    for (const field of Object.keys(want) as (keyof DeliveryState)[]) {
      if (canonicalJson(got[field]) !== canonicalJson(want[field])) {
        report(`${key}.${field}: stored ${canonicalJson(got[field])}, fold ${canonicalJson(want[field])}`);
      }
    }
  }

  // Per key: every process's transitions, as links before status → after status.
  const links = new Map<string, Array<{ from: string | null; to: string }>>();
  for (const out of outcome.outputs) {
    for (const t of out.transitions) {
      if (!expected.has(t.key)) report(`${t.key}: transition for an unknown key`);
      const from = t.before === null ? null : (JSON.parse(t.before) as { status: string }).status;
      const to = (JSON.parse(t.after) as { status: string }).status;
      if (from === to) report(`${t.key}: a transition that changed no status (${to})`);
      const list = links.get(t.key) ?? [];
      list.push({ from, to });
      links.set(t.key, list);
    }
  }
  for (const [key, want] of expected) {
    const list = links.get(key) ?? [];
    const final = present(want).status;
    // Walk the one chain from null; every link must be used exactly once.
    const unused = list.slice();
    let at: string | null = null;
    const path: string[] = [];
    for (;;) {
      const k = unused.findIndex((l) => l.from === at);
      if (k < 0) break;
      const [link] = unused.splice(k, 1) as [{ from: string | null; to: string }];
      path.push(link.to);
      at = link.to;
      if (unused.some((l) => l.from === link.from && l.to === link.to)) report(`${key}: transition ${link.from ?? 'null'} → ${link.to} emitted more than once`);
    }
    if (list.filter((l) => l.from === null).length !== 1) report(`${key}: created ${list.filter((l) => l.from === null).length} times (before = null), expected once`);
    if (unused.length > 0) report(`${key}: transitions off the chain null → ${path.join(' → ')}: ${unused.map((l) => `${l.from ?? 'null'} → ${l.to}`).join(', ')}`);
    if (at !== final) report(`${key}: transitions end at ${at ?? 'nothing'}, the final presented status is ${final}`);
  }
  return problems;
}
