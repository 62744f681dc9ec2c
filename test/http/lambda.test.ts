import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyHandler, APIGatewayProxyHandlerV2, Context, LambdaFunctionURLHandler } from 'aws-lambda';
import { createLambdaHandler } from '../../src/http/lambda.js';
import { APP_SECRET, cloudHeaders, describeAdapterContract, PATH } from './adapter-contract.js';
import { recordingTracker } from './helpers.js';
import { functionUrlEvent, v1Event, v2Event, type LambdaRequestInit } from './lambda-events.js';

for (const [label, build] of [
  ['API Gateway v1', (i: LambdaRequestInit) => v1Event(i)],
  ['API Gateway v1 base64', (i: LambdaRequestInit) => v1Event(i, true)],
  ['HTTP API v2', v2Event],
  ['function URL', functionUrlEvent],
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
    const handler = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker() });
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

describe('lambda adapter typed with @types/aws-lambda (no casts)', () => {
  // These assignments are the test as much as the calls: they fail `npm run typecheck` (TS2322)
  // when LambdaHttpEvent stops accepting AWS's own event types.
  const context = {} as Context;
  const callback = () => undefined;
  const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"statuses":[{"id":"wamid.T1","status":"sent","timestamp":"1700000000","recipient_id":"551199"}]}}]}]}';

  it('works as an APIGatewayProxyHandler (REST v1)', async () => {
    const tracker = recordingTracker();
    const handler: APIGatewayProxyHandler = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker });
    const result = await handler(v1Event({ method: 'POST', path: PATH, headers: cloudHeaders(body), body }), context, callback);
    expect(result).toMatchObject({ statusCode: 200 });
    expect(tracker.batches).toHaveLength(1);
  });

  it('works as an APIGatewayProxyHandlerV2 (HTTP API)', async () => {
    const tracker = recordingTracker();
    const handler: APIGatewayProxyHandlerV2 = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker });
    const result = await handler(v2Event({ method: 'POST', path: PATH, headers: cloudHeaders(body), body }), context, callback);
    expect(result).toMatchObject({ statusCode: 200 });
    expect(tracker.batches).toHaveLength(1);
  });

  it('works as a LambdaFunctionURLHandler, and h(event) takes the real event type', async () => {
    const tracker = recordingTracker();
    const handler: LambdaFunctionURLHandler = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker });
    const result = await handler(functionUrlEvent({ method: 'POST', path: PATH, headers: cloudHeaders(body), body }), context, callback);
    expect(result).toMatchObject({ statusCode: 200 });
    const h = createLambdaHandler({ cloud: { appSecret: APP_SECRET }, tracker });
    expect((await h(functionUrlEvent({ method: 'POST', path: PATH, headers: { 'x-hub-signature-256': 'sha256=00' }, body }))).statusCode).toBe(401);
  });
});
