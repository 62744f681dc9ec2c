import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeNonAscii, signMetaPayload } from '../../src/index.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bluetick-cli-'));
const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ id: 'wamid.A', from: '15550001', timestamp: '1750000000', type: 'text', text: { body: 'Olá 😀' } }] } }] }] }, null, 2);
const file = join(dir, 'body.json');
writeFileSync(file, body);
const asciiFile = join(dir, 'ascii.json');
const ascii = '{"object":"whatsapp_business_account",  "entry":[]}';
writeFileSync(asciiFile, ascii);

async function verify(args: string[]) {
  const r = await runCli(['verify', '--json', ...args]);
  return { code: r.code, verdict: JSON.parse(r.stdout) as { ok: boolean; code: string; message: string; escaped?: boolean; secretIndex?: number } };
}

describe('bluetick sign / verify', () => {
  it('sign prints the header signMetaPayload computes, and verify accepts it', async () => {
    const signed = await runCli(['sign', '--secret', 's3cret', asciiFile]);
    expect(signed.code).toBe(0);
    expect(signed.stdout.trim()).toBe(signMetaPayload(ascii, 's3cret'));
    const r = await verify(['--secret', 's3cret', '--signature', signed.stdout.trim(), asciiFile]);
    expect(r).toMatchObject({ code: 0, verdict: { ok: true, code: 'verified', escaped: false } });
  });

  it('reads the body from stdin with -', async () => {
    const signed = await runCli(['sign', '--secret', 's3cret', '-'], ascii);
    expect(signed.stdout.trim()).toBe(signMetaPayload(ascii, 's3cret'));
  });

  it('--escape signs the form Meta signs; verify reports that the escaped form verified', async () => {
    const raw = (await runCli(['sign', '--secret', 's3cret', file])).stdout.trim();
    const escaped = (await runCli(['sign', '--secret', 's3cret', '--escape', file])).stdout.trim();
    expect(escaped).toBe(signMetaPayload(escapeNonAscii(body), 's3cret'));
    expect(escaped).not.toBe(raw);
    const r = await verify(['--secret', 's3cret', '--signature', escaped, file]);
    expect(r).toMatchObject({ code: 0, verdict: { ok: true, code: 'verified_escaped', escaped: true } });
  });

  it('a wrong secret is reported as such (exit 1)', async () => {
    const header = signMetaPayload(body, 'right');
    const r = await verify(['--secret', 'wrong', '--signature', header, file]);
    expect(r.code).toBe(1);
    expect(r.verdict).toMatchObject({ ok: false, code: 'wrong_secret' });
    expect(r.verdict.message).toMatch(/app secret is wrong/);
  });

  it('a body re-serialized before verification is diagnosed', async () => {
    const header = signMetaPayload(JSON.stringify(JSON.parse(body)), 's3cret');
    const r = await verify(['--secret', 's3cret', '--signature', header, file]);
    expect(r).toMatchObject({ code: 1, verdict: { ok: false, code: 'body_reserialized' } });
  });

  it('a re-serialized and escaped body is diagnosed too', async () => {
    const header = signMetaPayload(escapeNonAscii(JSON.stringify(JSON.parse(body))), 's3cret');
    const r = await verify(['--secret', 's3cret', '--signature', header, file]);
    expect(r.verdict.code).toBe('body_reserialized');
  });

  it('whitespace around the secret is diagnosed', async () => {
    const header = signMetaPayload(body, 's3cret');
    const r = await verify(['--secret', ' s3cret\n', '--signature', header, file]);
    expect(r).toMatchObject({ code: 1, verdict: { ok: false, code: 'secret_whitespace' } });
  });

  it('a SHA-1 header is refused with its diagnostic, and accepted with --allow-sha1', async () => {
    const header = signMetaPayload(body, 's3cret', 'sha1');
    const refused = await verify(['--secret', 's3cret', '--signature', header, file]);
    expect(refused).toMatchObject({ code: 1, verdict: { ok: false, code: 'sha1_only' } });
    expect(refused.verdict.message).toMatch(/--allow-sha1/);
    const allowed = await verify(['--secret', 's3cret', '--signature', header, '--allow-sha1', file]);
    expect(allowed).toMatchObject({ code: 0, verdict: { ok: true, algorithm: 'sha1' } });
  });

  it('several secrets: says which one verified', async () => {
    const header = signMetaPayload(ascii, 'new');
    const r = await verify(['--secret', 'old', '--secret', 'new', '--signature', header, asciiFile]);
    expect(r).toMatchObject({ code: 0, verdict: { ok: true, secretIndex: 1 } });
  });

  it('a malformed header is reported, and the human output starts with FAIL', async () => {
    const r = await runCli(['verify', '--secret', 's', '--signature', 'sha256=nothex', asciiFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL \(signature_malformed\)/);
  });

  it('usage errors exit 2 with one line on stderr', async () => {
    const r = await runCli(['verify', '--signature', 'sha256=00', asciiFile]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--secret is required/);
    expect((await runCli(['sign', asciiFile])).code).toBe(2);
    expect((await runCli(['sign', '--secret', 's', join(dir, 'missing.json')])).code).toBe(1);
  });
});
