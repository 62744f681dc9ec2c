import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts', ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

// 2-4 s alone, 12 s beside the rest of `npm test` on 2 cores (CI, 2026-12-02): room for a slower machine.
const DEMO_TIMEOUT = 90_000;

describe('the demo (npm run demo)', () => {
  it('replays a small campaign, prints the report and passes its own invariants', async () => {
    const r = await runDemo(['--messages', '300', '--seed', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ALL INVARIANTS OK/m);
    expect(r.stdout).not.toMatch(/MISMATCH/);
    expect(r.stdout).toMatch(/^ {2}OK {8}305\/305 tracked messages ended in the state their statuses imply$/m);
    expect(r.stdout).toMatch(/Tracked messages only \(305\)/);
    expect(r.stdout).toMatch(/Every delivery state \(\d[\d,]*: 305 tracked by the host with track\(\), \d+ seen only in webhooks\)/);
    for (const section of ['HTTP responses', 'Events in the webhooks received', 'Latency from sent, by the provider', 'Failures by error code', 'Replies to buttons and lists']) expect(r.stdout).toContain(section);
  }, DEMO_TIMEOUT);

  it('is deterministic for a seed', async () => {
    const strip = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '').replace(/\d+(\.\d+)? (ms|s)\b.*$/gm, '').replace(/in [\d.]+ (ms|s)/g, '');
    const [a, b] = await Promise.all([runDemo(['--messages', '120', '--seed', '9', '--fixtures', '/nonexistent']), runDemo(['--messages', '120', '--seed', '9', '--fixtures', '/nonexistent'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/Real fixtures: \/nonexistent is absent, skipping that part\./);
    const report = (s: string) => strip(s.slice(s.indexOf('Every delivery state'), s.indexOf('Invariants')));
    expect(report(a.stdout)).toBe(report(b.stdout));
  }, DEMO_TIMEOUT);

  it('exits 2 on a bad option value', async () => {
    const r = await runDemo(['--messages', '0']);
    expect(r.code).toBe(2);
  });
});
