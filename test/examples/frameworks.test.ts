import { afterEach, describe, expect, it } from 'vitest';
import { signMetaPayload } from '../../src/index.js';
import { APP_SECRET, challengeQuery, metaHeaders, statusesBody, unicodeBody, VERIFY_TOKEN } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

type Started = { url: string; tracker: import('../../src/index.js').Tracker; stop: () => Promise<void> };

async function exercise(started: Started, path = '/webhooks/whatsapp') {
  stops.push(started.stop);
  const url = `${started.url}${path}`;
  const res = await fetch(url, { method: 'POST', body: statusesBody, headers: metaHeaders(statusesBody) });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, provider: 'cloud' });
  expect((await started.tracker.getState('wamid.FAILED1'))?.status).toBe('failed');
  expect((await started.tracker.getState('wamid.PMP1'))?.status).toBe('delivered');
  const forged = await fetch(url, { method: 'POST', body: statusesBody, headers: { 'x-hub-signature-256': signMetaPayload(statusesBody, 'not-the-secret') } });
  expect(forged.status).toBe(401);
}

describe('examples: servers on an ephemeral port', () => {
  it('express: verifies a signed webhook, tracks it, keeps express.json() for the rest', async () => {
    const { start } = await import('../../examples/express.js');
    const started = await start({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    await exercise(started);
    const challenge = await fetch(`${started.url}/webhooks/whatsapp?${challengeQuery}`);
    expect(await challenge.text()).toBe('8675309');
    const state = (await (await fetch(`${started.url}/messages/wamid.PMP1`)).json()) as { status: string };
    expect(state.status).toBe('delivered');
  });

  it('fastify: the same through the plugin, with a unicode body signed as Meta signs', async () => {
    const { start } = await import('../../examples/fastify.js');
    const started = await start({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    await exercise(started);
    const res = await fetch(`${started.url}/webhooks/whatsapp`, { method: 'POST', body: unicodeBody, headers: metaHeaders(unicodeBody) });
    expect(await res.json()).toMatchObject({ ok: true, messages: 1 });
  });

  it('plain node: one route for all three providers', async () => {
    const { start } = await import('../../examples/node-server.js');
    const started = await start({ appSecret: APP_SECRET, wasenderSecret: 'wa', onpremToken: 'op' });
    await exercise(started);
    const wasender = JSON.stringify({ event: 'messages.update', sessionId: 's1', timestamp: 1750000000000, data: { key: { remoteJid: '5511999990002@s.whatsapp.net', fromMe: true, id: '3EB0X' }, update: { status: 3 } } });
    const w = await fetch(`${started.url}/webhooks/whatsapp`, { method: 'POST', body: wasender, headers: { 'x-webhook-signature': 'wa' } });
    expect(w.status).toBe(200);
    expect((await started.tracker.getState('3EB0X'))?.status).toBe('delivered');
    const onprem = JSON.stringify({ statuses: [{ id: 'gBGGOP1', status: 'read', timestamp: '1750000000', recipient_id: '16505551234' }] });
    expect((await fetch(`${started.url}/webhooks/whatsapp?token=op`, { method: 'POST', body: onprem })).status).toBe(200);
    expect((await fetch(`${started.url}/webhooks/whatsapp?token=nope`, { method: 'POST', body: onprem })).status).toBe(401);
  });
});

describe('examples: handlers invoked directly', () => {
  it('next.js route handler: GET challenge and POST with Web Requests', async () => {
    process.env.META_APP_SECRET = APP_SECRET;
    process.env.META_VERIFY_TOKEN = VERIFY_TOKEN;
    const route = await import('../../examples/nextjs/app/api/whatsapp/route.js');
    const get = await route.GET(new Request(`https://example.com/api/whatsapp?${challengeQuery}`));
    expect([get.status, await get.text()]).toEqual([200, '8675309']);
    const post = await route.POST(new Request('https://example.com/api/whatsapp', { method: 'POST', body: unicodeBody, headers: metaHeaders(unicodeBody) }));
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({ ok: true, messages: 1 });
    const forged = await route.POST(new Request('https://example.com/api/whatsapp', { method: 'POST', body: unicodeBody, headers: { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } }));
    expect(forged.status).toBe(401);
    await route.tracker.close();
  });

  it('hono: the app routes the raw Request to bluetick', async () => {
    const { createApp } = await import('../../examples/hono.js');
    const { app, tracker } = createApp({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    const res = await app.fetch(new Request('http://localhost/webhooks/whatsapp', { method: 'POST', body: statusesBody, headers: metaHeaders(statusesBody) }));
    expect(res.status).toBe(200);
    const state = (await (await app.fetch(new Request('http://localhost/messages/wamid.FAILED1'))).json()) as { status: string };
    expect(state.status).toBe('failed');
    const challenge = await app.fetch(new Request(`http://localhost/webhooks/whatsapp?${challengeQuery}`));
    expect(await challenge.text()).toBe('8675309');
    await tracker.close();
  });

  it('lambda: an API Gateway v2 event with a base64 body', async () => {
    process.env.META_APP_SECRET = APP_SECRET;
    process.env.META_VERIFY_TOKEN = VERIFY_TOKEN;
    const { handler, tracker } = await import('../../examples/lambda.js');
    const event = {
      version: '2.0',
      rawPath: '/webhooks/whatsapp',
      rawQueryString: '',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': metaHeaders(statusesBody)['x-hub-signature-256'] },
      requestContext: { http: { method: 'POST', path: '/webhooks/whatsapp' } },
      body: Buffer.from(statusesBody).toString('base64'),
      isBase64Encoded: true,
    };
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    expect((await tracker.getState('wamid.CBP1'))?.status).toBe('sent');
    const get = await handler({ version: '2.0', rawPath: '/webhooks/whatsapp', rawQueryString: challengeQuery, headers: {}, requestContext: { http: { method: 'GET' } } });
    expect([get.statusCode, get.body]).toEqual([200, '8675309']);
    await tracker.close();
  });
});
