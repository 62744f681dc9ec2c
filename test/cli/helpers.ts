import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { bundled } from '../helpers/bundle.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs the CLI in-process with captured streams. */
export async function runCli(args: string[], stdin: string | Buffer = '', signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(stdin)]),
    signal,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

// The real command as a process: src/cli/main.ts bundled (test/helpers/bundle.ts), run by plain node.
const cliBundle = await bundled(cliEntry);

/** Spawns the real command (`node <src/cli/main.ts bundled> …`). */
export function spawnCli(args: string[], options: { cwd?: string } = {}) {
  return spawn(process.execPath, [cliBundle, ...args], { cwd: options.cwd ?? repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the real command to completion. */
export function execCli(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
