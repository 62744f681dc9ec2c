import { createServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createNodeListener } from '../../src/http/node.js';
import { describeAdapterContract, PATH, cloudHeaders, APP_SECRET } from './adapter-contract.js';
import { close, listen, recordingTracker, send } from './helpers.js';

describeAdapterContract('node:http', async (options) => {
  const server = createServer(createNodeListener(options));
  const base = await listen(server);
  return { transport: (init) => send(base, init), close: () => close(server) };
});

/** Writes a request by hand and resolves with the first response bytes, while the body is unfinished. */
function partialRequest(base: string, head: string, bodyPart: Buffer): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head);
      socket.write(bodyPart);
      // The rest of the body is never sent: only a server that stops reading can answer.
    });
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(data);
      }
    });
    socket.on('error', reject);
  });
}

describe('node:http body limit', () => {
  it('answers 413 from Content-Length alone, without waiting for (or reading) the body', async () => {
    const server = createServer(createNodeListener({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), maxBodyBytes: 1024 * 1024 }));
    const base = await listen(server);
    try {
      const head = `POST ${PATH} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${5 * 1024 * 1024}\r\nx-hub-signature-256: ${cloudHeaders('x')['x-hub-signature-256']}\r\n\r\n`;
      const response = await partialRequest(base, head, Buffer.alloc(64 * 1024, 0x20));
      expect(response).toMatch(/^HTTP\/1\.1 413/);
      expect(response.toLowerCase()).toContain('connection: close');
    } finally {
      await close(server);
    }
  });

  it('stops a chunked body as soon as it passes the limit', async () => {
    const server = createServer(createNodeListener({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), maxBodyBytes: 256 * 1024 }));
    const base = await listen(server);
    try {
      const head = `POST ${PATH} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nx-hub-signature-256: ${cloudHeaders('x')['x-hub-signature-256']}\r\n\r\n`;
      const size = 300 * 1024;
      const chunk = Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), Buffer.alloc(size, 0x20), Buffer.from('\r\n')]);
      const response = await partialRequest(base, head, chunk);
      expect(response).toMatch(/^HTTP\/1\.1 413/);
    } finally {
      await close(server);
    }
  });

  it('uses a raw Buffer a framework already captured as req.body, and explains a parsed object', async () => {
    const listener = createNodeListener({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), logger: { warn: () => undefined, error: () => undefined } });
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    const server = createServer((req, res) => {
      const pre = req.headers['x-pre'];
      if (pre === 'buffer') Object.assign(req, { body: Buffer.from(body) });
      if (pre === 'object') {
        req.resume();
        req.on('end', () => {
          Object.assign(req, { body: JSON.parse(body) });
          void listener(req, res);
        });
        return;
      }
      void listener(req, res);
    });
    const base = await listen(server);
    try {
      const asBuffer = await send(base, { method: 'POST', path: PATH, headers: { ...cloudHeaders(body), 'x-pre': 'buffer' }, body });
      expect(asBuffer.status).toBe(200);
      const parsed = await send(base, { method: 'POST', path: PATH, headers: { ...cloudHeaders(body), 'x-pre': 'object' }, body });
      expect(parsed.status).toBe(500);
      expect(JSON.parse(parsed.body).error).toMatchObject({ code: 'body_already_parsed' });
      expect(JSON.parse(parsed.body).error.hint).toMatch(/bodyParser/);
    } finally {
      await close(server);
    }
  });

  it("resolves the listener's promise only once the answer is written (Next.js pages API waits on it)", async () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    const written: boolean[] = [];
    const make = (onEvents: () => unknown) => {
      const listener = createNodeListener({ cloud: { appSecret: APP_SECRET }, onEvents, logger: { warn: () => undefined, error: () => undefined } });
      return createServer((req, res) => void listener(req, res).then(() => written.push(res.writableEnded)));
    };
    const sync = make(() => undefined);
    const slow = make(() => new Promise((r) => setTimeout(r, 30)));
    const syncBase = await listen(sync);
    const slowBase = await listen(slow);
    try {
      expect((await send(syncBase, { method: 'POST', path: PATH, headers: cloudHeaders(body), body })).status).toBe(200);
      expect((await send(slowBase, { method: 'POST', path: PATH, headers: cloudHeaders(body), body })).status).toBe(200);
      expect((await send(slowBase, { method: 'GET', path: PATH })).status).toBe(405);
      expect(written).toEqual([true, true, true]);
    } finally {
      await close(sync);
      await close(slow);
    }
  });
});
