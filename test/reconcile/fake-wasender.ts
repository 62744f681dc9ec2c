/**
 * A local HTTP server on 127.0.0.1 that answers like WASenderApi's documented
 * `GET /api/messages/{msgId}/info` (https://wasenderapi.com/api-docs/messages/get-message-info):
 * `Authorization: Bearer <key>`, `{ success: true, data: { remoteJid, id, msgId, key, message,
 * messageTimestamp, status } }`, and the documented rate-limit body `{ message, retry_after }`.
 * Each message can be given a script of answers (500, 429, slow, …) consumed one per request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export type Step =
  | { status: 500 | 502 | 503 | 400 | 401 | 403 | 404 }
  | { status: 429; retryAfter?: string; bodyRetryAfter?: number }
  | { delayMs: number };

export interface FakeMessage {
  /** The WhatsApp key id the msgId stands for. */
  keyId: string;
  /** Ack level, as a number or a string. */
  status: number | string;
  remoteJid?: string;
}

export interface FakeWasender {
  url: string;
  apiKey: string;
  messages: Map<string, FakeMessage>;
  scripts: Map<string, Step[]>;
  /** `performance.now()` at each request's arrival, and its msgId. */
  requests: Array<{ at: number; msgId: string; auth: string | undefined }>;
  close(): Promise<void>;
}

export async function startFakeWasender(apiKey = 'test-api-key'): Promise<FakeWasender> {
  const messages = new Map<string, FakeMessage>();
  const scripts = new Map<string, Step[]>();
  const requests: FakeWasender['requests'] = [];
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    const m = /^\/api\/messages\/([^/]+)\/info$/.exec(req.url ?? '');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || m === null) return json(404, { success: false, message: 'Not found' });
    const msgId = decodeURIComponent(m[1] as string);
    requests.push({ at, msgId, auth: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return json(401, { success: false, message: 'Unauthenticated.' });
    const answer = () => {
      const step = scripts.get(msgId)?.shift();
      if (step !== undefined && 'delayMs' in step) {
        setTimeout(answer, step.delayMs);
        return;
      }
      if (step !== undefined) {
        if (step.status === 429) {
          const headers: Record<string, string> = step.retryAfter === undefined ? {} : { 'retry-after': step.retryAfter };
          return json(429, { message: 'Too many requests.', retry_after: step.bodyRetryAfter ?? 60 }, headers);
        }
        return json(step.status, { success: false, message: `scripted ${step.status}` });
      }
      const msg = messages.get(msgId);
      if (msg === undefined) return json(404, { success: false, message: 'Message not found.' });
      const remoteJid = msg.remoteJid ?? '5511999990002@s.whatsapp.net';
      json(200, {
        success: true,
        data: {
          remoteJid,
          id: msg.keyId,
          msgId: Number(msgId),
          key: { id: msg.keyId, fromMe: true, remoteJid },
          message: { conversation: 'hello' },
          messageTimestamp: '1751297488',
          status: msg.status,
        },
      });
    };
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    messages,
    scripts,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The most requests any window of `windowMs` holds, over arrival times. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
