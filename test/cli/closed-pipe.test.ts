import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../src/cli/receiver.js';
import { signMetaPayload } from '../../src/index.js';
import { ownFixture } from '../helpers/fixtures.js';
import { spawnCli } from './helpers.js';

/*
 * `bluetick … | head -1`: the reader closes the pipe early. The real command, in a child process,
 * must then end quietly (exit 0, nothing on stderr) instead of dying of an unhandled EPIPE with a
 * stack trace. Two readers: one that reads a first chunk and closes (what `head -1` does), and one
 * that closes before the command writes anything (deterministic for commands with short output).
 */
type Reader = 'after-first-chunk' | 'before-any-output';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  firstChunk: string;
}

function run(args: string[], reader: Reader, options: { stdin?: string | Buffer; whileRunning?: (stderr: () => string) => Promise<void> } = {}): Promise<Ended> {
  const child = spawnCli(args);
  let stderr = '';
  let firstChunk = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  if (reader === 'before-any-output') child.stdout.destroy();
  else {
    child.stdout.once('data', (c: Buffer) => {
      firstChunk = c.toString();
      child.stdout.destroy();
    });
  }
  child.stdin.on('error', () => undefined); // the command may exit before reading all its input
  child.stdin.end(options.stdin ?? '');
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, firstChunk })));
  return (async () => {
    try {
      await options.whileRunning?.(() => stderr);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return ended;
  })();
}

function expectQuietEnd(ended: Ended): void {
  expect(ended.stderr).not.toMatch(/EPIPE|Error|at .*\(/);
  expect(ended.stderr).toBe('');
  expect([ended.code, ended.signal]).toEqual([0, null]);
}

/** A Cloud webhook with `n` statuses: `normalize` prints one NDJSON line per status. */
function manyStatuses(n: number): string {
  const statuses = Array.from({ length: n }, (_, i) => ({ id: `wamid.P${i}`, status: 'delivered', timestamp: '1700000000', recipient_id: '16505551234' }));
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'W1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'P1' }, statuses } }] }] });
}

let receiver: Receiver;
const dir = mkdtempSync(join(tmpdir(), 'bluetick-pipe-'));
beforeAll(async () => {
  receiver = await startReceiver({ handler: { cloud: { appSecret: 'pipe-secret' }, discardEvents: true, logger: { warn: () => undefined, error: () => undefined } } });
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `statuses-${i}.json`), ownFixture('cloud/statuses.json'));
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a closed stdout ends the command quietly (… | head -1)', () => {
  it('normalize: the reader takes the first lines of a 20,000-line output and closes', async () => {
    const ended = await run(['normalize', '-'], 'after-first-chunk', { stdin: manyStatuses(20_000) });
    expect(ended.firstChunk).toMatch(/^\{"/);
    expectQuietEnd(ended);
  });

  it('replay: the summary meets a closed pipe', async () => {
    const ended = await run(['replay', '--url', receiver.url, '--secret', 'pipe-secret', '--quiet', dir], 'before-any-output');
    expectQuietEnd(ended);
  });

  it('sign and verify', async () => {
    const body = ownFixture('cloud/statuses.json');
    expectQuietEnd(await run(['sign', '--secret', 's', '-'], 'before-any-output', { stdin: body }));
    expectQuietEnd(await run(['verify', '--secret', 's', '--signature', signMetaPayload(body, 's'), '-'], 'before-any-output', { stdin: body }));
  });

  it('--help', async () => {
    expectQuietEnd(await run(['replay', '--help'], 'before-any-output'));
  });

  it('listen: an event line meets a closed pipe, and the receiver stops', async () => {
    const ended = await run(['listen', '--port', '0', '--secret', 'pipe-secret'], 'before-any-output', {
      whileRunning: async (stderr) => {
        const started = Date.now();
        let url: string | undefined;
        while (url === undefined) {
          if (Date.now() - started > 20_000) throw new Error(`listen did not start: ${stderr()}`);
          url = /listening on (http:\/\/\S+)/.exec(stderr())?.[1];
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const body = ownFixture('cloud/statuses.json');
        await fetch(url, { method: 'POST', body, headers: { 'x-hub-signature-256': signMetaPayload(body, 'pipe-secret') } }).catch(() => undefined);
      },
    });
    expect(ended.stderr).not.toMatch(/EPIPE|Error|at .*\(/);
    expect([ended.code, ended.signal]).toEqual([0, null]);
  });
});
