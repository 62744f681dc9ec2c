import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { bluetickFastify } from '../../src/http/fastify.js';
import { APP_SECRET, cloudHeaders, describeAdapterContract, PATH } from './adapter-contract.js';
import { recordingTracker, send } from './helpers.js';

describeAdapterContract('fastify 5', async (options) => {
  const app = Fastify();
  await app.register(bluetickFastify, { ...options, path: PATH });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { transport: (init) => send(base, init), close: () => app.close() };
});

const BODY = '{"object":"whatsapp_business_account","entry":[]}';

describe('fastify adapter', () => {
  it('keeps its raw-body parser encapsulated: the host app still parses JSON elsewhere', async () => {
    const app = Fastify();
    app.post('/api/echo', async (request) => ({ got: request.body }));
    await app.register(bluetickFastify, { path: PATH, cloud: { appSecret: APP_SECRET }, tracker: recordingTracker() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const echo = await send(base, { method: 'POST', path: '/api/echo', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(JSON.parse(echo.body)).toEqual({ got: { a: 1 } });
      expect((await send(base, { method: 'POST', path: PATH, headers: cloudHeaders(BODY), body: BODY })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('works under a register prefix with the default path', async () => {
    const app = Fastify();
    await app.register(bluetickFastify, { prefix: '/hooks/wa', cloud: { appSecret: APP_SECRET }, tracker: recordingTracker() } as never);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await send(base, { method: 'POST', path: '/hooks/wa', headers: cloudHeaders(BODY), body: BODY })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('refuses to start without a secret (ConfigError at register time)', async () => {
    const app = Fastify();
    await expect(app.register(bluetickFastify, { path: PATH, cloud: {} })).rejects.toMatchObject({ code: 'missing_secret' });
    await app.close();
  });
});
