import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundled } from '../helpers/bundle.js';

const child = fileURLToPath(new URL('../fixtures/sinks/signal-child.ts', import.meta.url));
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function start(hostListener: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'bluetick-signal-'));
  dirs.push(dir);
  const path = join(dir, 'out.ndjson');
  const proc = spawn(process.execPath, [await bundled(child), path, '250', hostListener ? 'yes' : 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  procs.push(proc);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (out.includes('ready')) {
        clearInterval(check);
        resolve();
      }
    }, 10);
    proc.on('exit', () => reject(new Error(`child exited early: ${out}`)));
  });
  return { proc, path, exited, output: () => out };
}

const lines = async (path: string) => (existsSync(path) ? (await readFile(path, 'utf8')).split('\n').filter(Boolean) : []);

describe('handleSignals', () => {
  it('SIGTERM flushes queued events, then re-raises so the process ends by the signal', async () => {
    const { proc, path, exited } = await start(false);
    expect(await lines(path)).toHaveLength(0); // still queued behind the 10-minute interval
    proc.kill('SIGTERM');
    const { signal } = await exited;
    expect(signal).toBe('SIGTERM');
    expect(await lines(path)).toHaveLength(250);
  });

  it('with a host SIGTERM listener it flushes and leaves exiting to the host', async () => {
    const { proc, path, exited, output } = await start(true);
    proc.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while ((await lines(path)).length < 250 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await lines(path)).toHaveLength(250);
    await new Promise((r) => setTimeout(r, 200));
    expect(proc.exitCode).toBeNull();
    expect(proc.signalCode).toBeNull();
    expect(output()).toContain('host-handler');
    proc.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
  });
});
