/**
 * Lambda events as AWS delivers them, typed with `@types/aws-lambda` and built WITHOUT casts: if
 * bluetick's `LambdaHttpEvent` stops accepting the real event types, `npm run typecheck` fails
 * here (and .ci/package-check fails on the packed declarations).
 * Shapes from the API Gateway and Lambda developer guides (payload format 1.0 and 2.0, function URLs).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';

/** What a test asks for: the request as the provider sent it. */
export interface LambdaRequestInit {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const ACCOUNT = '123456789012';
const EPOCH = 1_700_000_000_000;

/** `X-Hub-Signature-256` style casing, as API Gateway REST passes headers through. */
function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** An API Gateway REST (v1) proxy event: mixed-case headers, single- and multi-value maps. */
export function v1Event(init: LambdaRequestInit, base64 = false): APIGatewayProxyEvent {
  const url = new URL(init.path, 'https://x');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    headers[titleCase(k)] = v;
    multiValueHeaders[titleCase(k)] = [v];
  }
  const keys = [...new Set(url.searchParams.keys())];
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: init.method,
    headers,
    multiValueHeaders,
    queryStringParameters: keys.length > 0 ? Object.fromEntries(url.searchParams) : null,
    multiValueQueryStringParameters: keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, url.searchParams.getAll(k)])) : null,
    pathParameters: { proxy: url.pathname.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: '1234567890',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: init.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '173.252.127.1',
        user: null,
        userAgent: 'facebookexternalua',
        userArn: null,
      },
      path: `/prod${url.pathname}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: EPOCH,
      resourceId: '123456',
      resourcePath: '/{proxy+}',
    },
    body: init.body === undefined ? null : base64 ? Buffer.from(init.body).toString('base64') : Buffer.from(init.body).toString('utf8'),
    isBase64Encoded: base64,
  };
}

function v2Shape(init: LambdaRequestInit, domainName: string, routeKey: string): APIGatewayProxyEventV2 {
  const url = new URL(init.path, 'https://x');
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'api-id',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: { method: init.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '173.252.127.1', userAgent: 'facebookexternalua' },
      requestId: 'id',
      routeKey,
      stage: '$default',
      time: '14/Nov/2023:22:13:20 +0000',
      timeEpoch: EPOCH,
    },
    isBase64Encoded: init.body !== undefined,
  };
  if (url.search) event.queryStringParameters = Object.fromEntries(url.searchParams);
  // Both HTTP APIs and function URLs base64-encode bodies they do not recognize as text.
  if (init.body !== undefined) event.body = Buffer.from(init.body).toString('base64');
  return event;
}

/** An HTTP API (payload format 2.0) event: lower-case headers, rawQueryString, base64 body. */
export function v2Event(init: LambdaRequestInit): APIGatewayProxyEventV2 {
  return v2Shape(init, 'id.execute-api.us-east-1.amazonaws.com', 'POST /{proxy+}');
}

/** A Lambda function URL event (the 2.0 format, `$default` route, a lambda-url domain). */
export function functionUrlEvent(init: LambdaRequestInit): LambdaFunctionURLEvent {
  return v2Shape(init, 'abcdefg.lambda-url.us-east-1.on.aws', '$default');
}
