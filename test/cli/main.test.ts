import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createTracker, normalize } from '../../src/index.js';
import { pgliteStore } from '../../src/storage/postgres/index.js';
import { ownFixture } from '../helpers/fixtures.js';
import { heavyTests, itIf, SKIP_REASONS } from '../helpers/services.js';
import { execCli, runCli } from './helpers.js';

const commands = ['verify', 'sign', 'normalize', 'replay', 'listen', 'report'];

describe('bluetick (main)', () => {
  for (const name of commands) {
    it(`${name} --help prints its usage and exits 0`, async () => {
      const r = await runCli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: bluetick ${name}`));
      expect(r.stderr).toBe('');
    });
  }

  it('--help lists every command; no command is a usage error', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of commands) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: bluetick/);
  });

  it('unknown commands and unknown options exit 2 with one line on stderr', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const option = await runCli(['sign', '--secrt', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/sign: Unknown option '--secrt'/);
  });

  it('the real process exits with the command exit codes (0, 1, 2)', async () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    const signed = await execCli(['sign', '--secret', 's', '-'], body);
    expect(signed.code).toBe(0);
    const ok = await execCli(['verify', '--secret', 's', '--signature', signed.stdout.trim(), '-'], body);
    expect(ok.code).toBe(0);
    const bad = await execCli(['verify', '--secret', 'other', '--signature', signed.stdout.trim(), '-'], body);
    expect(bad.code).toBe(1);
    const usage = await execCli(['verify']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toBe('bluetick verify: --secret is required (see bluetick verify --help)');
  });
});

describe('bluetick report', () => {
  it('says clearly that the memory store persists nothing (exit 1), and rejects unknown stores (exit 2)', async () => {
    const memory = await runCli(['report']);
    expect(memory.code).toBe(1);
    expect(memory.stderr).toMatch(/memory store keeps nothing/);
    expect((await runCli(['report', '--store', 'sqlite:x'])).code).toBe(2);
    expect((await runCli(['report', '--store', 'pglite:'])).code).toBe(2);
  });

  itIf(heavyTests, SKIP_REASONS.pglite, 'reports the states a PGlite store holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluetick-report-'));
    const db = await PGlite.create(dir);
    const tracker = createTracker({ store: pgliteStore(db) });
    await tracker.track({ messageId: 'wamid.CBP1', recipientId: '16505551234', provider: 'cloud', accountId: '102290129340398', campaign: 'c1' });
    await tracker.track({ messageId: 'wamid.FAILED1', recipientId: '16505551234', provider: 'cloud', accountId: '102290129340398', campaign: 'c1' });
    await tracker.ingest(normalize(ownFixture('cloud/statuses.json')));
    await tracker.close();
    await db.close();
    const r = await runCli(['report', '--store', `pglite:${dir}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    type Funnel = { total: number; sent: number; failed: number; failures: { byCode: Array<{ code: string }> } };
    const report = JSON.parse(r.stdout) as { all: Funnel; tracked: Funnel; webhookOnly: number };
    expect(report.tracked).toMatchObject({ total: 2, sent: 1, failed: 1 });
    expect(report.all.total).toBe(2 + report.webhookOnly);
    expect(report.all.failures.byCode.map((f) => f.code)).toEqual(['131049']);
    const text = await runCli(['report', '--store', `pglite:${dir}`]);
    expect(text.stdout).toMatch(/Tracked messages only \(2\)/);
    expect(text.stdout).toMatch(/Every delivery state \(\d+: 2 tracked by the host with track\(\), \d+ seen only in webhooks\)/);
  }, 120_000);
});
