import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration, reconcileAndReport, reconcilerOptions } from '../../src/cli/commands/reconcile.js';
import { parseCommandArgs } from '../../src/cli/args.js';
import type { CliIo } from '../../src/cli/io.js';
import { createTracker, type Tracker } from '../../src/index.js';
import { pgliteStore } from '../../src/storage/postgres/index.js';
import { redisStore } from '../../src/storage/redis/index.js';
import { describeIf, heavyTests, REDIS_URL, redisAvailable, SKIP_REASONS } from '../helpers/services.js';
import { startFakeWasender, type FakeWasender } from '../reconcile/fake-wasender.js';
import { deleteUnder, testClient, uniquePrefix } from '../storage/redis-helpers.js';
import { DAY, trackWasender } from '../reconcile/helpers.js';
import { runCli } from './helpers.js';

const FLAGS = {
  store: { type: 'string' },
  'wasender-key': { type: 'string' },
  'base-url': { type: 'string' },
  'older-than': { type: 'string' },
  statuses: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  'expire-after': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

function capture(tty: boolean): { io: CliIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty },
    stdin: (async function* () {})(),
  };
  return { io, out: () => stdout, err: () => stderr };
}

describe('bluetick reconcile: flags', () => {
  it('--help prints its usage', async () => {
    const r = await runCli(['reconcile', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bluetick reconcile --store S/);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}reconcile /m);
  });

  it('refuses a missing or memory store, and bad durations and statuses, as usage errors', async () => {
    expect(await runCli(['reconcile'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--store is required/) });
    expect(await runCli(['reconcile', '--store', 'memory'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/memory store of a new process/) });
    expect(await runCli(['reconcile', '--store', 'pglite:/tmp/x', '--older-than', 'soon'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--older-than must be a duration/) });
    expect(await runCli(['reconcile', '--store', 'pglite:/tmp/x', '--statuses', 'played'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--statuses takes/) });
    expect(await runCli(['reconcile', '--store', 'pglite:/tmp/x', '--base-url', 'ftp://x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--base-url/) });
  });

  it('parses durations, and maps the flags to reconciler options (the key from the environment too)', () => {
    expect(parseDuration('r', 'x', '90s')).toBe(90_000);
    expect(parseDuration('r', 'x', '1.5h')).toBe(5_400_000);
    expect(parseDuration('r', 'x', '0')).toBe(0);
    expect(() => parseDuration('r', 'x', '15')).toThrow(/duration/);
    const parsed = parseCommandArgs('reconcile', ['--older-than', '15m', '--statuses', 'sent,delivered', '--rate', '0.5', '--expire-after', 'never', '--dry-run'], FLAGS);
    const o = reconcilerOptions(parsed, { WASENDER_API_KEY: 'from-env' });
    expect(o).toMatchObject({ olderThan: 900_000, statuses: ['sent', 'delivered'], ratePerSecond: 0.5, expireAfter: false, dryRun: true, limit: 10_000, concurrency: 4 });
    expect(o.source?.name).toBe('wasender');
    expect(reconcilerOptions(parseCommandArgs('reconcile', [], FLAGS), {}).source).toBeNull();
  });
});

describe('bluetick reconcile: a run over a store', () => {
  let fake: FakeWasender;
  let tracker: Tracker;
  beforeEach(async () => {
    fake = await startFakeWasender();
    tracker = createTracker();
    for (let i = 0; i < 20; i++) await trackWasender(tracker, fake, 100 + i, 3);
    await tracker.track({ provider: 'cloud', messageId: 'wamid.OLD', sentAt: Date.now() - 8 * DAY });
  });
  afterEach(async () => {
    await tracker.close();
    await fake.close();
  });

  const options = (extra: string[] = []) =>
    reconcilerOptions(parseCommandArgs('reconcile', ['--wasender-key', fake.apiKey, '--base-url', fake.url, '--older-than', '1m', '--rate', '1000', ...extra], FLAGS), {});

  it('draws one progress bar on a terminal and prints the report', async () => {
    const c = capture(true);
    const code = await reconcileAndReport(tracker, options(), c.io, { label: 'test-store', json: false, quiet: false });
    expect(code).toBe(0);
    expect(c.err()).toMatch(/\r {2}\[#{24}\] 21\/21 {2}changed 20 {2}not found 0 {2}failed 0 {2}expired 1 \n$/);
    expect(c.err().split('\n')).toHaveLength(2);
    expect(c.out()).toMatch(/^Reconciled test-store in /);
    expect(c.out()).toContain('  checked       20  (changed 20, unchanged 0, not found 0, failed 0)');
    expect(c.out()).toContain('  expired       1');
    expect((await tracker.getState('3EB0100'))?.status).toBe('delivered');
  });

  it('prints plain progress lines otherwise, and JSON on request; --dry-run writes nothing', async () => {
    const c = capture(false);
    const code = await reconcileAndReport(tracker, options(['--dry-run']), c.io, { label: 'test-store', json: true, quiet: false });
    expect(code).toBe(0);
    const lines = c.err().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines.every((l) => l.startsWith('reconcile: ') && !l.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^reconcile: 21\/21 \(100%\)/);
    expect(JSON.parse(c.out())).toMatchObject({ dryRun: true, found: 21, checked: 20, changed: 20, expired: 1 });
    expect((await tracker.getState('3EB0100'))?.status).toBe('pending');
  });

  it('exits 1 on a refused key, with the report so far and the error', async () => {
    const c = capture(false);
    const bad = reconcilerOptions(parseCommandArgs('reconcile', ['--wasender-key', 'wrong', '--base-url', fake.url, '--older-than', '1m'], FLAGS), {});
    const code = await reconcileAndReport(tracker, bad, c.io, { label: 'test-store', json: true, quiet: true });
    expect(code).toBe(1);
    expect(JSON.parse(c.out())).toMatchObject({ checked: 0, expired: 1, error: { code: 'unauthorized' } });
    expect(c.err()).toMatch(/^bluetick reconcile: unauthorized: WASenderApi refused the API key \(HTTP 401\)/);
  });
});

const redisUp = await redisAvailable();

describeIf(redisUp, SKIP_REASONS.redis, 'bluetick reconcile --store redis://', () => {
  it('reconciles what another process tracked, through the public store factory', async () => {
    const fake = await startFakeWasender();
    const prefix = uniquePrefix('cli-reconcile');
    const client = testClient();
    try {
      const tracker = createTracker({ store: redisStore({ url: REDIS_URL, prefix }) });
      await trackWasender(tracker, fake, 700, 4);
      await trackWasender(tracker, fake, 701, 3);
      await tracker.track({ provider: 'cloud', messageId: 'wamid.OLD', sentAt: Date.now() - 8 * DAY });
      await tracker.close();
      const r = await runCli(['reconcile', '--store', `${REDIS_URL}?prefix=${prefix}`, '--wasender-key', fake.apiKey, '--base-url', fake.url, '--older-than', '1m', '--json', '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ found: 3, checked: 2, changed: 2, expired: 1, dryRun: false });
      const check = createTracker({ store: redisStore({ url: REDIS_URL, prefix }) });
      expect((await check.getState('3EB0700'))?.status).toBe('read');
      expect((await check.getState('wamid.OLD'))?.annotations).toEqual(['expired']);
      await check.close();
    } finally {
      await deleteUnder(client, prefix);
      client.disconnect();
      await fake.close();
    }
  });
});

describeIf(heavyTests, SKIP_REASONS.pglite, 'bluetick reconcile --store pglite:', () => {
  it('reconciles a PGlite store another process wrote, and prints the report', async () => {
    const fake = await startFakeWasender();
    const dir = mkdtempSync(join(tmpdir(), 'bluetick-reconcile-'));
    try {
      const db = await PGlite.create(dir);
      const tracker = createTracker({ store: pgliteStore(db) });
      await trackWasender(tracker, fake, 800, 5);
      await tracker.track({ provider: 'onprem', messageId: 'gBGGOP.OLD', sentAt: Date.now() - 8 * DAY });
      await tracker.close();
      await db.close();
      const r = await runCli(['reconcile', '--store', `pglite:${dir}`, '--wasender-key', fake.apiKey, '--base-url', fake.url, '--older-than', '30m']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Reconciled pglite:${dir} in `));
      expect(r.stdout).toContain('  checked       1  (changed 1, unchanged 0, not found 0, failed 0)');
      expect(r.stdout).toContain('  expired       1');
      expect(r.stderr).toMatch(/^reconcile: 1\/2 \(50%\)/m);
      const again = await PGlite.create(dir);
      const check = createTracker({ store: pgliteStore(again) });
      expect((await check.getState('3EB0800'))?.status).toBe('played');
      expect((await check.funnel({ from: 0, to: Date.now() + 1000 })).expired).toBe(1);
      await check.close();
      await again.close();
    } finally {
      await fake.close();
    }
  }, 120_000);
});
