import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NormalizeError } from '../../src/errors.js';
import { normalize } from '../../src/normalize.js';
import type { WebhookHandlerOptions } from '../../src/http/types.js';
import { escapeNonAscii } from '../../src/verify/escape.js';
import { signMetaPayload } from '../../src/verify/meta.js';
import { hasSharedFixtures, ownFixture, sharedFixture, sharedFixtures, itWithSharedFixtures } from '../helpers/fixtures.js';
import { recordingTracker, unavailableTracker, type SimpleResponse } from './helpers.js';

export type Transport = (init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) => Promise<SimpleResponse>;
export type AdapterSetup = (options: WebhookHandlerOptions) => Promise<{ transport: Transport; close(): Promise<void> }>;

export const APP_SECRET = 'contract-app-secret';
export const OLD_SECRET = 'contract-old-secret';
export const VERIFY_TOKEN = 'contract-verify-token';
export const WASENDER_SECRET = 'contract-wasender-secret';
export const ONPREM_TOKEN = 'contract-onprem-token';
export const PATH = '/webhooks/whatsapp';

const json = { 'content-type': 'application/json' };
export const cloudHeaders = (body: string | Buffer, secret = APP_SECRET) => ({ ...json, 'x-hub-signature-256': signMetaPayload(body, secret) });

function expectedFor(provider: 'cloud' | 'onprem' | 'wasender', text: string): { status: number; code?: string; count?: number } {
  try {
    const result = normalize(text);
    if (result.provider !== provider) return { status: 400, code: 'provider_mismatch' };
    return { status: 200, count: result.events.length };
  } catch (error) {
    if (error instanceof NormalizeError) return { status: 400, code: error.code };
    throw error;
  }
}

/**
 * The behaviour every adapter must show over a real transport. `setup` builds the adapter with the
 * given options and returns how to send it a request.
 */
export function describeAdapterContract(name: string, setup: AdapterSetup): void {
  describe(`${name}: webhook contract`, () => {
    const tracker = recordingTracker();
    let transport: Transport;
    let closeIt: () => Promise<void>;
    beforeAll(async () => {
      const built = await setup({
        cloud: { appSecrets: [APP_SECRET, OLD_SECRET], verifyToken: VERIFY_TOKEN },
        wasender: { secret: WASENDER_SECRET },
        onprem: { token: ONPREM_TOKEN },
        tracker,
        logger: { warn: () => undefined, error: () => undefined },
      });
      transport = built.transport;
      closeIt = built.close;
    });
    afterAll(() => closeIt());
    const post = (body: string | Buffer, headers: Record<string, string>, path = PATH) => transport({ method: 'POST', path, headers, body });

    itWithSharedFixtures('answers every shared real fixture, signed, as normalize() does, and ingests its events', async () => {
      const fixtures = sharedFixtures();
      expect(fixtures.length).toBeGreaterThan(200);
      for (const fixture of fixtures) {
        const before = tracker.batches.length;
        const headers =
          fixture.provider === 'cloud'
            ? cloudHeaders(fixture.text)
            : fixture.provider === 'wasender'
              ? { ...json, 'x-webhook-signature': WASENDER_SECRET }
              : json;
        const path = fixture.provider === 'onprem' ? `${PATH}?token=${ONPREM_TOKEN}` : PATH;
        const response = await post(fixture.text, headers, path);
        const expected = expectedFor(fixture.provider, fixture.text);
        expect(response.status, fixture.name).toBe(expected.status);
        if (expected.status === 200) {
          expect(JSON.parse(response.body), fixture.name).toMatchObject({ ok: true, provider: fixture.provider, received: expected.count });
          const batch = tracker.batches[before];
          expect(batch?.provider, fixture.name).toBe(fixture.provider);
          expect(batch?.events.map((e) => e.id), fixture.name).toEqual(normalize(fixture.text).events.map((e) => e.id));
        } else {
          expect(JSON.parse(response.body).error.code, fixture.name).toBe(expected.code);
          expect(tracker.batches.length, fixture.name).toBe(before);
        }
      }
    });

    itWithSharedFixtures('ingests the right events of a real status with pricing and a real inbound text', async () => {
      const status = sharedFixture('cloud', 'netflie-status-with-pricing.json');
      expect((await post(status, cloudHeaders(status))).status).toBe(200);
      const event = tracker.batches.at(-1)?.events[0];
      expect(event).toMatchObject({ kind: 'status', provider: 'cloud', messageId: JSON.parse(status).entry[0].changes[0].value.statuses[0].id });
      const text = sharedFixture('cloud', 'pywa-message-text.json');
      expect((await post(text, cloudHeaders(text))).status).toBe(200);
      expect(tracker.batches.at(-1)?.events[0]).toMatchObject({ kind: 'message', direction: 'inbound', text: JSON.parse(text).entry[0].changes[0].value.messages[0].text.body });
    });

    it('verifies with either secret of a rotation', async () => {
      const body = ownFixture('http/cloud-text-unicode.json');
      expect((await post(body, cloudHeaders(body, APP_SECRET))).status).toBe(200);
      expect((await post(body, cloudHeaders(body, OLD_SECRET))).status).toBe(200);
    });

    it('accepts a body with emoji and accents signed the way Meta signs (escaped form)', async () => {
      const body = ownFixture('http/cloud-text-unicode.json');
      const before = tracker.batches.length;
      const response = await post(Buffer.from(body, 'utf8'), { ...json, 'x-hub-signature-256': signMetaPayload(escapeNonAscii(body), APP_SECRET) });
      expect(response.status).toBe(200);
      expect(tracker.batches.length).toBe(before + 1);
      expect(tracker.batches.at(-1)?.events[0]).toMatchObject({ kind: 'message', text: 'Olá! Ação confirmada 😀👍🏽 — café às 9h' });
    });

    it('answers 401 to a tampered byte, a wrong secret, no header, SHA-1 alone and truncated hex, ingesting nothing', async () => {
      const body = ownFixture('http/cloud-text-unicode.json');
      const before = tracker.batches.length;
      const tampered = Buffer.from(body);
      tampered[20] = (tampered[20] as number) ^ 0x01;
      const sig = signMetaPayload(body, APP_SECRET);
      const cases: [string, Buffer | string, Record<string, string>, string][] = [
        ['tampered', tampered, { ...json, 'x-hub-signature-256': sig }, 'signature_mismatch'],
        ['wrong secret', body, cloudHeaders(body, 'not-the-secret'), 'signature_mismatch'],
        ['no header', body, json, 'missing_signature'],
        ['sha1 alone', body, { ...json, 'x-hub-signature': `sha1=${createHmac('sha1', APP_SECRET).update(body).digest('hex')}` }, 'signature_sha1_not_allowed'],
        ['truncated hex', body, { ...json, 'x-hub-signature-256': sig.slice(0, -2) }, 'signature_malformed'],
      ];
      for (const [label, payload, headers, code] of cases) {
        const response = await post(payload, headers);
        expect(response.status, label).toBe(401);
        const error = JSON.parse(response.body).error;
        expect(error.code, label).toBe(code);
        expect(response.body, label).not.toContain(APP_SECRET);
        expect(response.body, label).not.toContain(sig.slice(7));
        if (label === 'sha1 alone') expect(error.hint).toMatch(/X-Hub-Signature-256/);
      }
      expect(tracker.batches.length).toBe(before);
    });

    it('answers the GET challenge with the token, verbatim as text/plain, and 403 without it', async () => {
      const ok = await transport({ method: 'GET', path: `${PATH}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('1158201444');
      expect(String(ok.headers['content-type'])).toMatch(/^text\/plain/);
      const bad = await transport({ method: 'GET', path: `${PATH}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444` });
      expect(bad.status).toBe(403);
      expect(bad.body).not.toContain('1158201444');
    });

    it('answers 413 to a 5 MB body', async () => {
      const big = Buffer.alloc(5 * 1024 * 1024, 0x20);
      const response = await post(big, cloudHeaders(big));
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body).error.code).toBe('body_too_large');
    });

    it('checks the WASender secret header', async () => {
      const body = hasSharedFixtures ? sharedFixture('wasender', 'docs-messages-received.json') : '{"event":"messages.received","data":{}}';
      expect((await post(body, { ...json, 'x-webhook-signature': WASENDER_SECRET })).status).toBe(200);
      const bad = await post(body, { ...json, 'x-webhook-signature': `${WASENDER_SECRET}x` });
      expect(bad.status).toBe(401);
      expect(JSON.parse(bad.body).error.code).toBe('signature_mismatch');
    });

    it('answers 400 with the NormalizeError code to a signed but unusable body, and 405 to other methods', async () => {
      const response = await post('not json', cloudHeaders('not json'));
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).error.code).toBe('invalid_json');
      const unknown = '{"hello":"world"}';
      expect(JSON.parse((await post(unknown, cloudHeaders(unknown))).body).error.code).toBe('unknown_provider');
      const put = await transport({ method: 'PUT', path: PATH, headers: json, body: '{}' });
      expect(put.status).toBe(405);
    });
  });

  describe(`${name}: store unavailable`, () => {
    let transport: Transport;
    let closeIt: () => Promise<void>;
    const tracker = unavailableTracker();
    beforeAll(async () => {
      const built = await setup({ cloud: { appSecret: APP_SECRET }, tracker, logger: { warn: () => undefined, error: () => undefined } });
      transport = built.transport;
      closeIt = built.close;
    });
    afterAll(() => closeIt());

    it('answers 503 with Retry-After so the provider retries', async () => {
      const body = ownFixture('http/cloud-text-unicode.json');
      const response = await transport({ method: 'POST', path: PATH, headers: cloudHeaders(body), body });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(JSON.parse(response.body).error.code).toBe('store_unavailable');
      expect(tracker.calls).toBe(1);
    });
  });

  describe(`${name}: an unexpected failure`, () => {
    it('answers 500 and logs the error class and where it was thrown, never its message', async () => {
      const errors: string[] = [];
      // The logger's warn throws (as a broken logger would) on the one-time hint a handshake to a
      // handler without verifyToken triggers: an error from inside the handler, carrying personal data.
      const logger = {
        warn: () => {
          throw new Error('warn failed for +16315551234 {"text":"secret"}');
        },
        error: (message: string, extra?: unknown) => void errors.push(message, JSON.stringify(extra)),
      };
      const built = await setup({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), logger });
      try {
        const response = await built.transport({ method: 'GET', path: `${PATH}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1` });
        expect(response.status).toBe(500);
        expect(errors[0]).toMatch(/^\[bluetick\] webhook (handler|request) failed: Error, at /);
        expect(errors.join('\n')).not.toMatch(/16315551234|secret/);
      } finally {
        await built.close();
      }
    });
  });

  describe(`${name}: somewhere to put the events`, () => {
    const quiet = { warn: () => undefined, error: () => undefined };

    it('refuses to start with neither tracker nor onEvents (every event would be acknowledged and lost)', async () => {
      await expect(setup({ cloud: { appSecret: APP_SECRET }, logger: quiet })).rejects.toMatchObject({ name: 'ConfigError', code: 'no_consumer' });
    });

    it('with onEvents alone: a synchronous one answers 200 with its events, an async one is waited for, a throwing one answers 503', async () => {
      const body = ownFixture('http/cloud-text-unicode.json');
      const seen: string[] = [];
      const sync = await setup({ cloud: { appSecret: APP_SECRET }, onEvents: (result) => void seen.push(`sync:${result.events.length}`), logger: quiet });
      try {
        const ok = await sync.transport({ method: 'POST', path: PATH, headers: cloudHeaders(body), body });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body)).toMatchObject({ ok: true, messages: 1 });
        expect(seen).toEqual(['sync:1']);
      } finally {
        await sync.close();
      }
      const later = await setup({
        cloud: { appSecret: APP_SECRET },
        onEvents: async (result) => {
          await new Promise((r) => setTimeout(r, 20));
          seen.push(`async:${result.events.length}`);
        },
        logger: quiet,
      });
      try {
        const ok = await later.transport({ method: 'POST', path: PATH, headers: cloudHeaders(body), body });
        expect(ok.status).toBe(200);
        expect(seen).toEqual(['sync:1', 'async:1']);
      } finally {
        await later.close();
      }
      const throwing = await setup({
        cloud: { appSecret: APP_SECRET },
        onEvents: () => {
          throw new Error('queue down');
        },
        logger: quiet,
      });
      try {
        const failed = await throwing.transport({ method: 'POST', path: PATH, headers: cloudHeaders(body), body });
        expect(failed.status).toBe(503);
        expect(failed.headers['retry-after']).toBe('5');
        expect(JSON.parse(failed.body).error.code).toBe('ingest_failed');
      } finally {
        await throwing.close();
      }
    });

    it('with discardEvents: true starts, verifies, and acknowledges without keeping anything', async () => {
      const built = await setup({ cloud: { appSecret: APP_SECRET }, discardEvents: true, logger: quiet });
      try {
        const body = ownFixture('http/cloud-text-unicode.json');
        const ok = await built.transport({ method: 'POST', path: PATH, headers: cloudHeaders(escapeNonAscii(body)), body });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body)).toMatchObject({ ok: true, messages: 1 });
        const forged = await built.transport({ method: 'POST', path: PATH, headers: cloudHeaders(body, 'not-the-secret'), body });
        expect(forged.status).toBe(401);
      } finally {
        await built.close();
      }
    });
  });
}
