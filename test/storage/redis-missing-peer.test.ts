/**
 * Without ioredis installed (a resolve hook makes `import('ioredis')` fail as Node does for a
 * missing package, in a child process): `redisStore({ url })` starts loading the module when it
 * is constructed, and `ready()` rejects at once with a ConfigError naming `npm install ioredis`
 * (a configuration mistake, not a retryable outage).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('./redis-without-ioredis/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('redisStore without ioredis installed', () => {
  it('starts importing at construction; ready() rejects fast with ConfigError missing_dependency naming npm install ioredis', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bluetick-noredis-'));
    const mark = join(tmp, 'mark');
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), join(dir, 'child.ts')], {
        cwd: root,
        env: { ...process.env, BLUETICK_MARK_FILE: mark },
        encoding: 'utf8',
        timeout: 30_000,
      });
      const result = JSON.parse(out.trim().split('\n').pop() as string) as { name: string; code: string; message: string; askedAt: number; answeredMs: number };
      expect(result.name).toBe('ConfigError');
      expect(result.code).toBe('missing_dependency');
      expect(result.message).toContain('npm install ioredis');
      const attempts = readFileSync(mark, 'utf8').trim().split('\n').map(Number);
      expect(attempts.length).toBeGreaterThan(0);
      // The import was attempted before ready() was asked (at construction), so the answer is immediate.
      expect(Math.min(...attempts)).toBeLessThan(result.askedAt);
      expect(result.answeredMs).toBeLessThan(100);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
