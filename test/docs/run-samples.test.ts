import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeIf, heavyTests, postgresAvailable, POSTGRES_URL, redisAvailable, REDIS_URL, SKIP_REASONS } from '../helpers/services.js';
import type { SampleReport } from './harness/driver.js';
import { bundleSamples } from './harness/bundle.js';
import { readSampleSpec, type SampleSpec } from './harness/spec.js';

/*
 * The code samples of the docs and the README RUN, not only compile. Each page's samples live in
 * examples/snippets/*.ts (test/docs/samples.test.ts keeps them identical to the pages, and
 * `npm run typecheck` compiles them). Here each one runs in its own process, as a user would run
 * it (node --import tsx), through test/docs/harness/driver.ts: the servers it starts get real
 * HTTP on 127.0.0.1 (Meta's handshake, signed webhooks, an unsigned one), the handlers it exports
 * are invoked, secrets are fake, and whatever it logs as an error or throws fails the test.
 * A sample that cannot run here says why in its header (`@sample compile-only <reason>`).
 * How to tag a sample: docs/maintainers.md, "Code samples".
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const snippetsDir = join(root, 'examples/snippets');
const samples = readdirSync(snippetsDir)
  .filter((name) => name.endsWith('.ts'))
  .sort()
  .map((name) => ({ name, path: join(snippetsDir, name), spec: readSampleSpec(join(snippetsDir, name)) }));
const tsx = fileURLToPath(import.meta.resolve('tsx'));
const driver = join(root, 'test/docs/harness/driver.ts');

// Two samples at a time: each is a Node process (about a second of CPU), and the other test
// files run meanwhile; more in parallel only makes everyone's timers late.
let running = 0;
const waiting: Array<() => void> = [];
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

// The samples of this repository run bundled (./harness/bundle.ts: plain node, a third of the CPU
// of tsx); a sample written by a test below runs through tsx. Either way the driver is the same.
const bundle = heavyTests ? await bundleSamples(root, samples.map((s) => s.path)) : undefined;
afterAll(() => bundle?.dispose());

function runSample(path: string, env: Record<string, string> = {}): Promise<{ report: SampleReport; stderr: string; code: number | null }> {
  return inTurn(() => runSampleNow(path, env));
}

async function runSampleNow(path: string, env: Record<string, string>): Promise<{ report: SampleReport; stderr: string; code: number | null }> {
  const cwd = mkdtempSync(join(tmpdir(), 'bluetick-sample-'));
  const reportPath = join(cwd, 'report.json');
  const bundled = bundle && path.startsWith(snippetsDir);
  const args = bundled ? [bundle.driver, path, reportPath, bundle.moduleOf(path)] : ['--import', tsx, driver, path, reportPath];
  try {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    let report: SampleReport;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as SampleReport;
    } catch {
      throw new Error(`the sample's driver wrote no report (exit ${code}):\n${stderr}`);
    }
    return { report, stderr, code };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function expectRanCleanly(spec: SampleSpec, { report, stderr, code }: Awaited<ReturnType<typeof runSample>>): void {
  const context = `\n--- stderr of the sample (to run it by hand: node --import tsx test/docs/harness/driver.ts <sample> report.json) ---\n${stderr}`;
  expect(report.failure, context).toBeUndefined();
  expect(report.uncaught, context).toEqual([]);
  expect(report.errorOutput, context).toEqual([]);
  expect(code, context).toBe(0);
  // Every entry point its tags name was reached, and every exchange went as expected.
  expect(report.entries.length, context).toBeGreaterThanOrEqual(spec.entries.filter((e) => e.kind !== 'call').length);
  const failed = report.entries.flatMap((e) => e.exchanges.filter((x) => !x.ok).map((x) => `${e.entry}: ${x.what} → ${x.status} (expected ${x.expected}) ${x.detail}`));
  expect(failed, context).toEqual([]);
}

const runnable = samples.filter((s) => s.spec.mode === 'run');

describeIf(heavyTests, SKIP_REASONS.samples, 'the harness fails a sample that misbehaves', () => {
  it('reports wrong answers, error output, and a sample that does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluetick-bad-sample-'));
    try {
      // A "webhook" that answers 200 to anything (no handshake, no verification), and logs an error.
      const careless = join(dir, 'careless.ts');
      writeFileSync(careless, `/**\n * @sample run\n */\nimport { createServer } from 'node:http';\ncreateServer((_req, res) => res.end('{"ok":true}')).listen(3000);\nconsole.error('something went wrong');\n`);
      const { report } = await runSample(careless);
      expect(report.errorOutput).toEqual(['something went wrong']);
      expect(report.entries[0]?.exchanges.filter((x) => !x.ok).map((x) => x.what)).toEqual(['GET handshake', 'unsigned POST']);
      // A handler with nowhere to put events: refused at load.
      const broken = join(dir, 'broken.ts');
      writeFileSync(broken, `/**\n * @sample run\n */\nimport { createFetchHandler } from 'bluetick/web';\nexport const handler = createFetchHandler({ cloud: { appSecret: 's' } });\n`);
      expect((await runSample(broken)).report.failure).toMatch(/no_consumer|ConfigError/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('docs samples: every one either runs or says why it cannot', () => {
  it('compile-only samples give a reason', () => {
    const compileOnly = samples.filter((s) => s.spec.mode === 'compile-only');
    for (const s of compileOnly) expect(s.spec.reason, s.name).toMatch(/\w{3,}.*\w{3,}/);
    // Most samples run: a compile-only one is the exception, and this list shows which.
    console.log(`[docs samples] ${runnable.length} run; compile-only: ${compileOnly.map((s) => `${s.name} (${s.spec.reason})`).join('; ') || 'none'}`);
    expect(runnable.length).toBeGreaterThan(compileOnly.length);
  });
});

describeIf(heavyTests, SKIP_REASONS.samples, 'docs samples run (in-memory store, real HTTP on 127.0.0.1, fake secrets)', () => {
  for (const sample of runnable.filter((s) => s.spec.needs.length === 0)) {
    it.concurrent(`examples/snippets/${sample.name}`, async () => {
      expectRanCleanly(sample.spec, await runSample(sample.path));
    }, 90_000);
  }
});

// Samples written for a shared PostgreSQL store run against a throwaway database each.
const postgresUp = await postgresAvailable();
const databases: string[] = [];
afterAll(async () => {
  if (databases.length === 0) return;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describeIf(postgresUp, SKIP_REASONS.postgres, 'docs samples run (PostgreSQL: a throwaway database each)', () => {
  for (const sample of runnable.filter((s) => s.spec.needs.includes('postgres'))) {
    it.concurrent(`examples/snippets/${sample.name}`, async () => {
      const name = `bluetick_sample_${process.pid}_${sample.name.replace(/\W/g, '_')}`.slice(0, 63).toLowerCase();
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      databases.push(name);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      expectRanCleanly(sample.spec, await runSample(sample.path, { DATABASE_URL: url.toString() }));
    }, 90_000);
  }
});

describeIf(await redisAvailable(), SKIP_REASONS.redis, 'docs samples run (Redis)', () => {
  for (const sample of runnable.filter((s) => s.spec.needs.includes('redis') && !s.spec.needs.includes('postgres'))) {
    it.concurrent(`examples/snippets/${sample.name}`, async () => {
      expectRanCleanly(sample.spec, await runSample(sample.path, { REDIS_URL }));
    }, 90_000);
  }
});
