import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, type Tracker } from '../../src/index.js';
import { startReceiver, type Receiver } from '../../src/cli/receiver.js';
import { loadPayloadFiles } from '../../src/cli/replay/files.js';
import { ownFixturesDir } from '../helpers/fixtures.js';
import { runCli } from './helpers.js';

const folders = ['cloud', 'onprem', 'wasender'].map((p) => `${ownFixturesDir}/${p}`);
const creds = ['--secret', 'app-secret', '--wasender-secret', 'wa-secret', '--onprem-token', 'op-token'];

let receiver: Receiver;
let tracker: Tracker;
const seen: number[] = [];

beforeAll(async () => {
  tracker = createTracker();
  receiver = await startReceiver({
    handler: { cloud: { appSecret: 'app-secret' }, wasender: { secret: 'wa-secret' }, onprem: { token: 'op-token' }, tracker, logger: { warn: () => undefined, error: () => undefined } },
    onResponse: (s) => seen.push(s),
  });
});
afterAll(async () => {
  await receiver.close();
  await tracker.close();
});

interface Summary {
  sent: number;
  byStatus: Record<string, number>;
  byProvider: Record<string, Record<string, number>>;
  duplicatesAdded: number;
  failed: number;
}

describe('bluetick replay', () => {
  it('sends every file of every provider signed, with shuffle and duplicates; the summary counts status codes', async () => {
    const { payloads } = await loadPayloadFiles(folders);
    const byProvider = { cloud: 0, onprem: 0, wasender: 0 };
    for (const p of payloads) byProvider[p.provider]++;
    expect(Math.min(...Object.values(byProvider))).toBeGreaterThan(0);
    seen.length = 0;
    const r = await runCli(['replay', '--url', receiver.url, ...creds, '--shuffle', '--duplicates', '0.5', '--seed', '7', '--concurrency', '4', '--json', ...folders]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    const duplicates = Math.round(payloads.length * 0.5);
    expect(summary.duplicatesAdded).toBe(duplicates);
    expect(summary.sent).toBe(payloads.length + duplicates);
    expect(summary.byStatus).toEqual({ '200': payloads.length + duplicates });
    // The receiver saw exactly those requests, all accepted.
    expect(seen.length).toBe(summary.sent);
    expect(seen.every((s) => s === 200)).toBe(true);
    expect(Object.values(summary.byProvider.cloud ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(byProvider.cloud);
  });

  it('non-2xx answers are counted per code and exit 1 (wrong Meta secret → 401)', async () => {
    const r = await runCli(['replay', '--url', receiver.url, '--secret', 'WRONG', '--wasender-secret', 'wa-secret', '--onprem-token', 'op-token', '--json', ...folders]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as Summary;
    const { payloads } = await loadPayloadFiles(folders);
    const cloud = payloads.filter((p) => p.provider === 'cloud').length;
    expect(summary.byStatus['401']).toBe(cloud);
    expect(summary.byStatus['200']).toBe(payloads.length - cloud);
    expect(summary.byProvider.cloud).toEqual({ '401': cloud });
  });

  it('prints plain lines when not on a TTY, and a status table', async () => {
    const r = await runCli(['replay', '--url', receiver.url, ...creds, folders[2] as string]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^200 {2}wasender/m);
    expect(r.stdout).toMatch(/Sent \d+ requests/);
    expect(r.stdout).toMatch(/^ {2}200 +\d+ +100\.0%$/m);
  });

  it('refuses payloads of a provider without credentials, and a receiver that is down is a failure', async () => {
    const missing = await runCli(['replay', '--url', receiver.url, '--secret', 'app-secret', ...folders]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--onprem-token|--wasender-secret/);
    const down = await runCli(['replay', '--url', 'http://127.0.0.1:9/x', ...creds, '--json', folders[0] as string]);
    expect(down.code).toBe(1);
    expect(Object.keys((JSON.parse(down.stdout) as Summary).byStatus)).toEqual(['error']);
  });
});
