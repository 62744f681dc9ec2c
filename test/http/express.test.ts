import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { bluetickExpress } from '../../src/http/express.js';
import { APP_SECRET, cloudHeaders, describeAdapterContract, PATH } from './adapter-contract.js';
import { close, listen, recordingLogger, recordingTracker, send } from './helpers.js';

describeAdapterContract('express 5', async (options) => {
  const app = express();
  app.use(bluetickExpress({ ...options, path: PATH }));
  app.use(express.json());
  const server = createServer(app);
  const base = await listen(server);
  return { transport: (init) => send(base, init), close: () => close(server) };
});

const BODY = '{"object":"whatsapp_business_account","entry":[]}';

describe('express adapter', () => {
  it('explains, with a 500 and a one-time warning, that express.json() consumed the body first', async () => {
    const logger = recordingLogger();
    const app = express();
    app.use(express.json());
    app.use(bluetickExpress({ path: PATH, cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), logger }));
    const s2 = createServer(app);
    const url = await listen(s2);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await send(url, { method: 'POST', path: PATH, headers: cloudHeaders(BODY), body: BODY });
        expect(response.status).toBe(500);
        const error = JSON.parse(response.body).error;
        expect(error.code).toBe('body_already_parsed');
        expect(error.message).toMatch(/express\.json\(\)/);
        expect(error.hint).toMatch(/BEFORE express\.json\(\)/);
      }
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).not.toContain(APP_SECRET);
    } finally {
      await close(s2);
    }
  });

  it('leaves the host app’s JSON routes alone and passes other paths on', async () => {
    const app = express();
    app.use(bluetickExpress({ path: PATH, cloud: { appSecret: APP_SECRET }, tracker: recordingTracker() }));
    app.use(express.json());
    app.post('/api/echo', (req, res) => {
      res.json({ got: req.body });
    });
    const server = createServer(app);
    const url = await listen(server);
    try {
      const echo = await send(url, { method: 'POST', path: '/api/echo', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(JSON.parse(echo.body)).toEqual({ got: { a: 1 } });
      expect((await send(url, { method: 'POST', path: PATH, headers: cloudHeaders(BODY), body: BODY })).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  it('uses the Buffer of an express.raw() parser mounted in front of it', async () => {
    const app = express();
    app.use(PATH, express.raw({ type: '*/*' }));
    app.use(bluetickExpress({ path: PATH, cloud: { appSecret: APP_SECRET }, tracker: recordingTracker() }));
    const server = createServer(app);
    const url = await listen(server);
    try {
      expect((await send(url, { method: 'POST', path: PATH, headers: cloudHeaders(BODY), body: BODY })).status).toBe(200);
    } finally {
      await close(server);
    }
  });
});
