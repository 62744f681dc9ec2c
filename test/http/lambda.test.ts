import { describe, expect, it } from 'vitest';
import { createLambdaHandler, type LambdaHttpEvent } from '../../src/http/lambda.js';
import { APP_SECRET, cloudHeaders, describeAdapterContract, PATH } from './adapter-contract.js';
import { recordingTracker } from './helpers.js';

/** An API Gateway REST (v1) proxy event, as documented, with mixed-case headers. */
function v1Event(init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }, base64 = false): LambdaHttpEvent {
  const url = new URL(init.path, 'https://x');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    const name = k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()); // X-Hub-Signature-256
    headers[name] = v;
    multiValueHeaders[name] = [v];
  }
  const query = Object.fromEntries(url.searchParams);
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: init.method,
    headers,
    multiValueHeaders,
    queryStringParameters: url.search ? query : null,
    multiValueQueryStringParameters: url.search ? Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])) : null,
    requestContext: { stage: 'prod', httpMethod: init.method },
    body: init.body === undefined ? null : base64 ? Buffer.from(init.body).toString('base64') : Buffer.from(init.body).toString('utf8'),
    isBase64Encoded: base64,
  } as LambdaHttpEvent;
}

/** An HTTP API (v2) / function URL event, as documented: lower-case headers, rawQueryString, base64 bodies. */
function v2Event(init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): LambdaHttpEvent {
  const url = new URL(init.path, 'https://x');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: { http: { method: init.method, path: url.pathname } },
    body: init.body === undefined ? undefined : Buffer.from(init.body).toString('base64'),
    isBase64Encoded: init.body !== undefined,
  } as LambdaHttpEvent;
}

for (const [label, build] of [
  ['API Gateway v1', (i: Parameters<typeof v1Event>[0]) => v1Event(i)],
  ['API Gateway v1 base64', (i: Parameters<typeof v1Event>[0]) => v1Event(i, true)],
  ['HTTP API v2 / function URL', v2Event],
] as const) {
  describeAdapterContract(`lambda (${label})`, async (options) => {
    const handler = createLambdaHandler(options);
    return {
      transport: async (init) => {
        const result = await handler(build(init));
        return { status: result.statusCode, headers: result.headers, body: result.body };
      },
      close: async () => undefined,
    };
  });
}

const BODY = '{"object":"whatsapp_business_account","entry":[]}';

describe('lambda adapter', () => {
  it('sees a duplicated signature header with different values in multiValueHeaders and refuses it', async () => {
    const handler = createLambdaHandler({ cloud: { appSecret: APP_SECRET } });
    const event = v1Event({ method: 'POST', path: PATH, headers: cloudHeaders(BODY), body: BODY });
    event.multiValueHeaders = { ...event.multiValueHeaders, 'X-Hub-Signature-256': [cloudHeaders(BODY)['x-hub-signature-256'], cloudHeaders('{}')['x-hub-signature-256']] };
    const result = await handler(event);
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).error.code).toBe('signature_malformed');
  });

  it('decodes a base64 body with non-ASCII to its exact bytes', async () => {
    const tracker = recordingTracker();
    const handler = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker });
    const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"messages":[{"id":"wamid.1","from":"551199","timestamp":"1700000000","type":"text","text":{"body":"ção ✓"}}]}}]}]}';
    const result = await handler(v2Event({ method: 'POST', path: PATH, headers: cloudHeaders(body), body }));
    expect(result.statusCode).toBe(200);
    expect(tracker.batches[0]?.events[0]).toMatchObject({ kind: 'message', text: 'ção ✓' });
  });
});
