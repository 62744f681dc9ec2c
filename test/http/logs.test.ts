import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { createWebhookHandler } from '../../src/http/handler.js';
import { loggedError } from '../../src/http/log-error.js';
import type { WebhookLogger, WebhookRequest } from '../../src/http/types.js';
import { signMetaPayload } from '../../src/verify/meta.js';

/*
 * The handler's default log lines (default onError, ingestion failures, unexpected failures) name
 * the error's class and codes, never its message: store errors carry the failing row, the tracking
 * key (with the phone number) and PostgreSQL's `where` text with payload fragments.
 */
const SECRET = 'logs-secret';
const PHONE = '16315551234';
const FRAGMENT = 'my card ends 4242';
const WHERE = 'PL/pgSQL function bluetick_merge(text,jsonb) line 12 at SQL statement';
const BODY = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922' }, messages: [{ id: 'wamid.L1', from: PHONE, timestamp: '1700000000', type: 'text', text: { body: FRAGMENT } }] } }] }],
});
const request = (): WebhookRequest => ({ method: 'POST', url: '/wh', headers: { 'x-hub-signature-256': signMetaPayload(BODY, SECRET) }, rawBody: Buffer.from(BODY) });

/** What `pg` throws: a DatabaseError with the SQLSTATE in `code` and the row in `detail`/`where`. */
function driverError(): Error {
  const error = new Error(`null value in column "state" of relation "bluetick_states" violates not-null constraint: ${FRAGMENT}`);
  Object.assign(error, { name: 'DatabaseError', code: '23502', detail: `Failing row contains (cloud:102290129340398:${PHONE}, {"text":"${FRAGMENT}"}).`, where: WHERE, table: 'bluetick_states' });
  return error;
}

/** A store failure as the PostgreSQL store reports it: the driver's message in its own, the driver error as cause. */
function storeError(): StorageError {
  const cause = driverError();
  return new StorageError('query_failed', `PostgreSQL merge failed (query_failed, 23502) for cloud:102290129340398:${PHONE}: ${cause.message}`, { cause });
}

function capture(): WebhookLogger & { lines: string[] } {
  const lines: string[] = [];
  // Everything a logger could print of the call: the message and the second argument, inspected
  // deeply as console.error would, and as JSON as a structured logger would.
  const record = (message: string, extra?: unknown) => void lines.push(message, inspect(extra, { depth: 10 }), JSON.stringify(extra ?? null));
  return { lines, warn: (m) => record(m), error: record };
}

function expectClean(lines: string[]): void {
  const text = lines.join('\n');
  expect(text).not.toContain(PHONE);
  expect(text).not.toContain(FRAGMENT);
  expect(text).not.toContain(WHERE);
  expect(text).not.toContain('Failing row');
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('default log lines carry classes and codes, never personal data or driver messages', () => {
  it("ack: 'immediate' and a failing store: the default onError names StorageError, query_failed and the SQLSTATE only", async () => {
    const logger = capture();
    const tracker = { ingest: async () => Promise.reject(storeError()) };
    const handle = createWebhookHandler({ cloud: { appSecret: SECRET }, tracker, ack: 'immediate', logger });
    expect((await handle(request())).status).toBe(200);
    await settle();
    expect(logger.lines[0]).toBe('[bluetick] webhook ingestion failed after the response (pass onError to handle the error itself): StorageError query_failed (503), cause 23502');
    expectClean(logger.lines);
  });

  it('your own onError still receives the whole error', async () => {
    const seen: unknown[] = [];
    const tracker = { ingest: async () => Promise.reject(storeError()) };
    const handle = createWebhookHandler({ cloud: { appSecret: SECRET }, tracker, ack: 'immediate', onError: (e) => seen.push(e), logger: capture() });
    await handle(request());
    await settle();
    expect((seen[0] as Error).message).toContain(PHONE);
  });

  it("ack: 'stored' and an onEvents that throws with personal data: 503, and the log names the class and where it was thrown", async () => {
    const logger = capture();
    const handle = createWebhookHandler({
      cloud: { appSecret: SECRET },
      onEvents: () => {
        throw new Error(`could not forward the message of +${PHONE}: "${FRAGMENT}"`);
      },
      logger,
    });
    const response = await handle(request());
    expect(response.status).toBe(503);
    expect(response.body).not.toContain(PHONE);
    expect(logger.lines[0]).toMatch(/^\[bluetick\] webhook ingestion failed: Error, at /);
    expect(logger.lines[0]).toContain('logs.test.ts');
    expectClean(logger.lines);
  });

  it('an ingestion that outlives ingestTimeoutMs and then fails is logged the same way', async () => {
    const logger = capture();
    const tracker = { ingest: () => new Promise((_, reject) => setTimeout(() => reject(storeError()), 30)) };
    const handle = createWebhookHandler({ cloud: { appSecret: SECRET }, tracker, ingestTimeoutMs: 5, logger });
    expect((await handle(request())).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(logger.lines[0]).toContain('StorageError query_failed (503), cause 23502');
    expectClean(logger.lines);
  });

  it('loggedError keeps identifiers only: a code that is a sentence is left out', () => {
    const odd = Object.assign(new Error(`boom ${PHONE}`), { code: `failed for ${PHONE}` });
    const safe = loggedError(odd);
    expect(safe.name).toBe('Error');
    expect(safe.code).toBeUndefined();
    expect(JSON.stringify(safe)).not.toContain(PHONE);
    expect(loggedError('a string with ' + PHONE)).toEqual({ name: 'string' });
    expect(loggedError(Object.assign(new Error('x'), { code: 'ECONNREFUSED', cause: { code: 57014 } }))).toMatchObject({ code: 'ECONNREFUSED', causes: ['57014'] });
  });
});
