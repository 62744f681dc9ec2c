import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * "Skip visibly": a group skipped because a service or the shared fixtures are missing says so,
 * with the reason, in the run's output and in the skipped group's title. Skips go through
 * describeIf / itIf / describeFor (test/helpers/services.ts) and describeWithSharedFixtures /
 * itWithSharedFixtures (test/helpers/fixtures.ts), which do both; a bare `.skip` / `.skipIf` /
 * `.runIf` elsewhere would skip silently.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const helpers = join(root, 'test/helpers');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === helpers ? [] : testFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('skipped tests name their reason', () => {
  it('no test skips except through the helpers that print why', () => {
    const bare = testFiles(join(root, 'test'))
      .filter((path) => path !== fileURLToPath(import.meta.url))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .map((line, i) => [`${relative(root, path)}:${i + 1}`, line] as const)
          .filter(([, line]) => /\b(describe|it|test)\.(skip|skipIf|runIf)\b|\bctx\.skip\(|\bcontext\.skip\(/.test(line)),
      )
      .map(([where, line]) => `${where}: ${line.trim()}`);
    expect(bare).toEqual([]);
  });

  it('a skipped group prints "SKIPPED <group>: <reason>" and carries the reason in its title', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluetick-skip-'));
    try {
      const services = join(helpers, 'services.ts');
      const fixtures = join(helpers, 'fixtures.ts');
      writeFileSync(
        join(dir, 'skip.spec.ts'),
        [
          `import { expect, it } from 'vitest';`,
          `import { describeIf, itIf, SKIP_REASONS } from ${JSON.stringify(services)};`,
          `import { NO_SHARED_FIXTURES } from ${JSON.stringify(fixtures)};`,
          `describeIf(false, SKIP_REASONS.postgres, 'a postgres group', () => { it('never runs', () => expect(1).toBe(2)); });`,
          `itIf(false, NO_SHARED_FIXTURES, 'a fixtures test', () => expect(1).toBe(2));`,
          `describeIf(true, SKIP_REASONS.redis, 'a group that runs', () => { it('runs', () => expect(1).toBe(1)); });`,
        ].join('\n'),
      );
      writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { include: ['*.spec.ts'], reporters: ['verbose'] } };`);
      const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, BLUETICK_REQUIRE_SERVICES: '', BLUETICK_SKIP_SERVICES: '', CI: '' },
      });
      const output = run.stdout + run.stderr;
      expect(run.status, output).toBe(0);
      expect(output).toContain('[bluetick tests] SKIPPED "a postgres group": PostgreSQL is not reachable at 127.0.0.1:5432');
      expect(output).toContain('[bluetick tests] SKIPPED "a fixtures test": ');
      expect(output).toMatch(/a postgres group \[skipped: PostgreSQL is not reachable/);
      expect(output).not.toContain('SKIPPED "a group that runs"');
      expect(output).toMatch(/1 passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
