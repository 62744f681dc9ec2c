import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { NormalizeResult } from '../../src/event/types.js';
import { createWebhookHandler } from '../../src/http/handler.js';
import type { WebhookHandlerOptions, WebhookRequest } from '../../src/http/types.js';
import { signMetaPayload } from '../../src/verify/meta.js';
import { ownFixture } from '../helpers/fixtures.js';
import { recordingLogger, recordingTracker } from './helpers.js';

const SECRET = 'core-secret';
const CLOUD = ownFixture('http/cloud-text-unicode.json').trim();
const WASENDER = '{"event":"messages.received","sessionId":"s1","data":{"messages":{"key":{"id":"A1","fromMe":false,"remoteJid":"5511999990002@s.whatsapp.net"},"message":{"conversation":"hi"},"messageTimestamp":1700000000}}}';
const ONPREM = '{"statuses":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU","recipient_id":"16315551234","status":"read","timestamp":"1518694700"}]}';

const post = (body: string, headers: Record<string, string>, url = '/wh'): WebhookRequest => ({ method: 'POST', url, headers, rawBody: Buffer.from(body) });
const signed = (body: string, secret = SECRET) => post(body, { 'x-hub-signature-256': signMetaPayload(body, secret) });
const quiet = { warn: () => undefined, error: () => undefined };
// A recording tracker unless the test brings its own consumer (a handler needs one: no_consumer).
const make = (options: Partial<WebhookHandlerOptions>) =>
  createWebhookHandler({ cloud: { appSecret: SECRET }, logger: quiet, ...(options.tracker || options.onEvents ? {} : { tracker: recordingTracker() }), ...options });
const bodyOf = (r: { body: string }) => JSON.parse(r.body);

describe('createWebhookHandler: configuration fails closed', () => {
  it('refuses to start without a provider, or a provider without its secret', () => {
    expect(() => createWebhookHandler({})).toThrow(ConfigError);
    for (const options of [{ cloud: {} }, { cloud: { appSecret: '' } }, { cloud: { appSecrets: [] } }, { wasender: { secret: '' } }, { onprem: { token: [] } }] as WebhookHandlerOptions[]) {
      expect(() => createWebhookHandler(options), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'missing_secret' }));
    }
    expect(() => createWebhookHandler({ cloud: { appSecret: 'a', appSecrets: ['b'] } })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => make({ maxBodyBytes: 0 })).toThrow(ConfigError);
  });

  it('refuses a handler with nowhere to put events (no_consumer) unless discardEvents: true says so', async () => {
    expect(() => createWebhookHandler({ cloud: { appSecret: SECRET } })).toThrow(expect.objectContaining({ code: 'no_consumer', message: expect.stringContaining('discardEvents') }));
    // The secret is checked first: a missing secret is the more urgent mistake.
    expect(() => createWebhookHandler({ cloud: {} })).toThrow(expect.objectContaining({ code: 'missing_secret' }));
    const discarding = createWebhookHandler({ cloud: { appSecret: SECRET }, discardEvents: true, logger: quiet });
    expect((await discarding(signed(CLOUD))).status).toBe(200);
    expect(() => createWebhookHandler({ cloud: { appSecret: SECRET }, discardEvents: true, tracker: recordingTracker() })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => createWebhookHandler({ cloud: { appSecret: SECRET }, discardEvents: false as unknown as true, onEvents: () => undefined })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(createWebhookHandler({ cloud: { appSecret: SECRET }, onEvents: () => undefined })).toBeTypeOf('function');
  });

  it('with dangerouslyDisableVerification starts without secrets, warns once, and accepts unsigned bodies', async () => {
    const logger = recordingLogger();
    const tracker = recordingTracker();
    const handle = createWebhookHandler({ dangerouslyDisableVerification: true, logger, tracker });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/dangerouslyDisableVerification/);
    expect((await handle(post(CLOUD, {}))).status).toBe(200);
    expect((await handle(post(WASENDER, {}))).status).toBe(200);
    expect(tracker.batches.map((b) => b.provider)).toEqual(['cloud', 'wasender']);
    expect(logger.warnings).toHaveLength(1);
  });

  it('warns once, without the secret, about a secret with surrounding whitespace', () => {
    const logger = recordingLogger();
    createWebhookHandler({ cloud: { appSecret: ` ${SECRET}\n` }, logger, tracker: recordingTracker() });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).not.toContain(SECRET);
  });
});

describe('createWebhookHandler: which provider', () => {
  const handle = createWebhookHandler({
    cloud: { appSecret: SECRET },
    wasender: { secret: 'ws' },
    onprem: { token: 'op', header: 'x-onprem-token' },
    tracker: recordingTracker(),
    logger: quiet,
  });

  it('routes by credential and confirms by the body', async () => {
    expect(bodyOf(await handle(signed(CLOUD)))).toMatchObject({ provider: 'cloud', messages: 1 });
    expect(bodyOf(await handle(post(WASENDER, { 'x-webhook-signature': 'ws' })))).toMatchObject({ provider: 'wasender' });
    expect(bodyOf(await handle(post(ONPREM, { 'x-onprem-token': 'op' })))).toMatchObject({ provider: 'onprem', statuses: 1 });
  });

  it('refuses credentials of two providers at once', async () => {
    const response = await handle(post(CLOUD, { 'x-hub-signature-256': signMetaPayload(CLOUD, SECRET), 'x-webhook-signature': 'ws' }));
    expect(response.status).toBe(401);
    expect(bodyOf(response).error.code).toBe('ambiguous_credentials');
  });

  it('refuses a body of another provider than its credential (400 provider_mismatch)', async () => {
    const response = await handle(post(CLOUD, { 'x-webhook-signature': 'ws' }));
    expect(response.status).toBe(400);
    expect(bodyOf(response).error.code).toBe('provider_mismatch');
    expect((await handle(signed(WASENDER))).status).toBe(400);
  });

  it('refuses a credential of an unconfigured provider, and names the expected headers when none is sent', async () => {
    const cloudOnly = make({});
    const response = await cloudOnly(post(WASENDER, { 'x-webhook-signature': 'ws' }));
    expect(response.status).toBe(401);
    expect(bodyOf(response).error.code).toBe('provider_not_configured');
    const none = await handle(post(ONPREM, {}));
    expect(bodyOf(none).error).toMatchObject({ code: 'missing_signature' });
    expect(bodyOf(none).error.message).toMatch(/X-Hub-Signature-256.*X-Webhook-Signature.*On-Premises/);
  });

  it('checks the On-Premises token in constant time, from the header or the default ?token= query', async () => {
    expect((await handle(post(ONPREM, { 'x-onprem-token': 'wrong' }))).status).toBe(401);
    const byQuery = make({ cloud: undefined, onprem: { token: 'op' } });
    expect((await byQuery(post(ONPREM, {}, '/wh?token=op'))).status).toBe(200);
    expect(bodyOf(await byQuery(post(ONPREM, {}, '/wh?token=nope'))).error.code).toBe('signature_mismatch');
  });
});

describe('createWebhookHandler: diagnostics', () => {
  it('explains a parsed object passed as the body (500) and warns once', async () => {
    const logger = recordingLogger();
    const handle = make({ logger });
    for (let i = 0; i < 2; i++) {
      const response = await handle({ method: 'POST', url: '/wh', headers: {}, rawBody: JSON.parse(CLOUD) });
      expect(response.status).toBe(500);
      expect(bodyOf(response).error.code).toBe('body_already_parsed');
    }
    expect(logger.warnings).toHaveLength(1);
  });

  it('explains a secret with surrounding whitespace in the 401 hint (debugSignatures)', async () => {
    const logger = recordingLogger();
    const response = await createWebhookHandler({ cloud: { appSecret: `${SECRET} ` }, logger, tracker: recordingTracker(), debugSignatures: true })(signed(CLOUD));
    expect(response.status).toBe(401);
    expect(bodyOf(response).error.hint).toMatch(/TRIMMED/);
    expect(response.body).not.toContain(SECRET);
  });

  it('explains a re-serialized body in the 401 hint, once in the log (debugSignatures)', async () => {
    const logger = recordingLogger();
    const handle = make({ logger, debugSignatures: true });
    const pretty = JSON.stringify(JSON.parse(CLOUD), null, 2);
    const request = post(pretty, { 'x-hub-signature-256': signMetaPayload(CLOUD, SECRET) });
    const response = await handle(request);
    expect(response.status).toBe(401);
    expect(bodyOf(response).error).toMatchObject({ code: 'signature_mismatch' });
    expect(bodyOf(response).error.hint).toMatch(/re-serialized/);
    await handle(request);
    expect(logger.warnings.filter((w) => /re-serialized/.test(w))).toHaveLength(1);
  });

  it('runs no diagnostics without debugSignatures: no hint, nothing logged', async () => {
    const logger = recordingLogger();
    const pretty = JSON.stringify(JSON.parse(CLOUD), null, 2);
    const reserialized = await make({ logger })(post(pretty, { 'x-hub-signature-256': signMetaPayload(CLOUD, SECRET) }));
    expect(reserialized.status).toBe(401);
    expect(bodyOf(reserialized).error.hint).toBeUndefined();
    const padded = createWebhookHandler({ cloud: { appSecret: `${SECRET} ` }, wasender: { secret: 'ws ' }, logger, tracker: recordingTracker() });
    const whitespace = await padded(signed(CLOUD));
    expect(bodyOf(whitespace).error).toMatchObject({ code: 'signature_mismatch' });
    expect(bodyOf(whitespace).error.hint).toBeUndefined();
    expect(bodyOf(await padded(post(WASENDER, { 'x-webhook-signature': 'ws' }))).error.hint).toBeUndefined();
    // The one warning is the startup one about the padded secret, not a diagnosis.
    expect(logger.warnings).toEqual([expect.stringMatching(/leading or trailing whitespace/)]);
  });

  it('gives no hint for a plain forgery', async () => {
    const response = await make({})(signed(CLOUD, 'attacker'));
    expect(response.status).toBe(401);
    expect(bodyOf(response).error.hint).toBeUndefined();
  });

  it('explains a GET handshake reaching a handler without verifyToken (405 + hint)', async () => {
    const logger = recordingLogger();
    const response = await make({ logger })({ method: 'GET', url: '/wh?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', headers: {} });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(bodyOf(response).error.hint).toMatch(/verifyToken/);
    expect(logger.warnings).toHaveLength(1);
    expect((await make({})({ method: 'HEAD', url: '/wh', headers: {} })).status).toBe(405);
  });
});

describe('createWebhookHandler: acknowledgement', () => {
  it('by default answers only after the tracker and onEvents finished', async () => {
    const order: string[] = [];
    const handle = make({
      tracker: { ingest: async () => void order.push('tracker') },
      onEvents: async (result: NormalizeResult) => void order.push(`onEvents:${result.events.length}`),
    });
    const response = await handle(signed(CLOUD));
    order.push('response');
    expect(response.status).toBe(200);
    expect(order).toEqual(['tracker', 'onEvents:1', 'response']);
  });

  it('answers 503 when onEvents throws, or when the tracker throws something else (logged)', async () => {
    expect((await make({ onEvents: () => Promise.reject(new Error('queue down')) })(signed(CLOUD))).status).toBe(503);
    const logger = recordingLogger();
    const response = await make({ logger, tracker: { ingest: () => Promise.reject(new TypeError('bug')) } })(signed(CLOUD));
    expect(response.status).toBe(503);
    expect(bodyOf(response).error.code).toBe('ingest_failed');
    expect(response.body).not.toContain('bug');
    expect(logger.errors).toHaveLength(1);
  });

  it('answers 503 when ingestion outlives ingestTimeoutMs', async () => {
    const errors: unknown[] = [];
    let release = () => undefined as void;
    const tracker = { ingest: () => new Promise<void>((r) => (release = r)) };
    const response = await make({ tracker, ingestTimeoutMs: 50, onError: (e) => errors.push(e) })(signed(CLOUD));
    expect(response.status).toBe(503);
    expect(bodyOf(response).error.code).toBe('ingest_timeout');
    release();
  });

  it('onEvents without a tracker: a synchronous throw and a rejecting thenable answer 503, logged without their message', async () => {
    const logger = recordingLogger();
    const thrown = await make({
      logger,
      onEvents: () => {
        throw new Error('queue down +16315551234');
      },
    })(signed(CLOUD));
    expect(thrown.status).toBe(503);
    expect(bodyOf(thrown).error.code).toBe('ingest_failed');
    // A thenable that is not a native promise is waited for too.
    const thenable = { then: (_: unknown, reject: (e: unknown) => void) => reject(new Error('late')) };
    const rejected = await make({ logger, onEvents: () => thenable })(signed(CLOUD));
    expect(rejected.status).toBe(503);
    expect(logger.errors).toHaveLength(2);
    expect(JSON.stringify(logger.errors)).not.toContain('16315551234');
  });

  it('an onEvents that outlives ingestTimeoutMs answers 503, and its later failure goes to onError', async () => {
    const errors: unknown[] = [];
    let fail = () => undefined as void;
    const onEvents = () => new Promise<void>((_, reject) => (fail = () => reject(new Error('too late'))));
    const response = await make({ onEvents, ingestTimeoutMs: 20, onError: (e) => errors.push(e) })(signed(CLOUD));
    expect(response.status).toBe(503);
    expect(bodyOf(response).error.code).toBe('ingest_timeout');
    expect(errors).toEqual([]);
    fail();
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
  });

  it('answers with a promise even when nothing is waited for, and a bug rejects it instead of throwing', async () => {
    const handle = make({ onEvents: () => undefined });
    const answer = handle(signed(CLOUD));
    expect(answer).toBeInstanceOf(Promise);
    expect((await answer).status).toBe(200);
    let broken: Promise<unknown> | undefined;
    expect(() => (broken = handle({ method: 'POST', url: '/wh', headers: null as never, rawBody: Buffer.from(CLOUD) }))).not.toThrow();
    await expect(broken).rejects.toBeInstanceOf(TypeError);
  });

  it("with ack: 'immediate' answers 200 before ingesting, and reports a later failure to onError", async () => {
    let finish: (() => void) | undefined;
    const errors: unknown[] = [];
    const tracker = {
      ingest: () =>
        new Promise<void>((_, reject) => {
          finish = () => reject(new Error('late failure'));
        }),
    };
    const response = await make({ ack: 'immediate', tracker, onError: (e) => errors.push(e) })(signed(CLOUD));
    expect(response.status).toBe(200);
    expect(finish).toBeDefined();
    expect(errors).toEqual([]);
    finish?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
  });
});
