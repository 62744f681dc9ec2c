import { describe, expect, it } from 'vitest';
import { signMetaPayload } from '../../src/index.js';
import { ownFixture } from '../helpers/fixtures.js';
import { runCli, spawnCli } from './helpers.js';

function waitFor(get: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const m = get().match(pattern);
      if (m) return resolve(m);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${pattern}; got:\n${get()}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('bluetick listen', () => {
  it('prints each event and transition of a posted payload, and the report on SIGTERM', async () => {
    const child = spawnCli(['listen', '--port', '0', '--secret', 'app-secret', '--verify-token', 'tok']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const [, url] = await waitFor(() => stderr, /listening on (http:\/\/\S+)/);
      const challenge = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=42`);
      expect([challenge.status, await challenge.text()]).toEqual([200, '42']);
      const body = ownFixture('cloud/statuses.json');
      const res = await fetch(url as string, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(body, 'app-secret') } });
      expect(res.status).toBe(200);
      const again = await fetch(url as string, { method: 'POST', body, headers: { 'x-hub-signature-256': signMetaPayload(body, 'app-secret') } });
      expect(again.status).toBe(200);
      await waitFor(() => stdout, /^duplicate {3}cloud:status:wamid\.CBP1/m);
      expect(stdout).toMatch(/^event +status +cloud +wamid\.CBP1 → 16505551234 {2}sent/m);
      expect(stdout).toMatch(/^event +status +cloud +wamid\.FAILED1 → 16505551234 {2}failed {2}errors 131049/m);
      expect(stdout).toMatch(/^transition {2}wamid\.PMP1 → 16505551234 {2}\(new\) → delivered/m);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/Delivery report \(this session; states in memory\)/);
      expect(stdout).toMatch(/^ {2}200 +3 /m); // the GET handshake and two POSTs
      expect(stdout).toMatch(/^ {2}131049 +policy +1$/m);
      expect(stdout).toMatch(/Every delivery state \(\d+: 0 tracked by the host with track\(\), \d+ seen only in webhooks\)/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses to start without any credential, and an unknown store, as usage errors', async () => {
    const none = await runCli(['listen', '--port', '0']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give --secret/);
    const store = await runCli(['listen', '--port', '0', '--secret', 's', '--store', 'mongodb://x']);
    expect(store.code).toBe(2);
    expect(store.stderr).toMatch(/unknown --store/);
  });

  it('stops when its signal aborts (in-process), with a JSON report line', async () => {
    const controller = new AbortController();
    const running = runCli(['listen', '--port', '0', '--insecure', '--json'], '', controller.signal);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const r = await running;
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { type: string; report: { all: { total: number }; tracked: unknown } };
    expect(last.type).toBe('report');
    expect(last.report.all.total).toBe(0);
    expect(last.report.tracked).toBeNull();
  });
});
