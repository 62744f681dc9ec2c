import { createWebhookHandler } from './handler.js';
import { errorResponse } from './responses.js';
import type { WebhookHandlerOptions, WebhookResponse } from './types.js';
import { logError } from './log-error.js';

/**
 * The fields bluetick reads from an API Gateway REST (v1), HTTP API (v2) or Lambda function URL
 * event (function URLs use the v2 shape). Structural, so no `@types/aws-lambda` is needed, and
 * written so that `APIGatewayProxyEvent`, `APIGatewayProxyEventV2` and `LambdaFunctionURLEvent`
 * from `@types/aws-lambda` are assignable to it without a cast: no index signatures (interfaces
 * have none), and `| undefined` on every optional field (for `exactOptionalPropertyTypes`).
 *
 * @example
 * ```ts
 * import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
 * import { createLambdaHandler } from 'bluetick/lambda';
 *
 * export const handler: APIGatewayProxyHandlerV2 = createLambdaHandler({ cloud: { appSecret, verifyToken }, tracker });
 * ```
 */
export interface LambdaHttpEvent {
  version?: string | undefined;
  /** v1 */
  httpMethod?: string | undefined;
  /** v1 */
  path?: string | undefined;
  headers?: Readonly<Record<string, string | undefined>> | null | undefined;
  /** v1 */
  multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null | undefined;
  queryStringParameters?: Readonly<Record<string, string | undefined>> | null | undefined;
  /** v1 */
  multiValueQueryStringParameters?: Readonly<Record<string, readonly string[] | undefined>> | null | undefined;
  /** v2 and function URLs */
  rawPath?: string | undefined;
  /** v2 and function URLs */
  rawQueryString?: string | undefined;
  /** `http.method` in v2 and function URLs, `httpMethod` in v1. */
  requestContext?: LambdaRequestContext | null | undefined;
  body?: string | null | undefined;
  isBase64Encoded?: boolean | undefined;
}

/** The part of an event's `requestContext` bluetick reads (v2's `http.method`, v1's `httpMethod`). */
export interface LambdaRequestContext {
  http?: { method?: string | undefined } | undefined;
  httpMethod?: string | undefined;
}

/** The proxy-integration result (valid for v1, v2 and function URLs). */
export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

function lowerHeaders(event: LambdaHttpEvent): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  // v1 multi-value headers keep every repetition: a duplicated signature header must stay visible
  // (different values are refused as ambiguous).
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values !== undefined && values.length > 0) out[name.toLowerCase()] = values.length === 1 ? (values[0] as string) : [...values];
  }
  return out;
}

function urlOf(event: LambdaHttpEvent): string {
  if (event.rawPath !== undefined) return event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  const params = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [key, values] of Object.entries(multi)) for (const v of values ?? []) params.append(key, v);
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !params.has(key)) params.append(key, value);
  }
  const query = params.toString();
  return `${event.path ?? '/'}${query ? `?${query}` : ''}`;
}

function toResult(response: WebhookResponse): LambdaHttpResult {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}

/**
 * An AWS Lambda handler for API Gateway REST (v1), HTTP API (v2) and function URLs: decodes
 * `isBase64Encoded` bodies to their exact bytes, merges multi-value and mixed-case headers, and
 * answers with a proxy-integration result. Use `ack: 'stored'` (the default) on Lambda: work left
 * after the response may be frozen with the function.
 *
 * @example
 * ```ts
 * import { createLambdaHandler } from 'bluetick/lambda';
 *
 * export const handler = createLambdaHandler({ cloud: { appSecret: process.env.APP_SECRET!, verifyToken: process.env.VERIFY_TOKEN! }, tracker });
 * ```
 */
export function createLambdaHandler(options: WebhookHandlerOptions): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  const handle = createWebhookHandler(options);
  return async (event) => {
    try {
      const method = event.requestContext?.http?.method ?? event.httpMethod ?? event.requestContext?.httpMethod ?? 'GET';
      let rawBody: Buffer | string | undefined;
      if (typeof event.body === 'string') rawBody = event.isBase64Encoded === true ? Buffer.from(event.body, 'base64') : event.body;
      return toResult(await handle({ method, url: urlOf(event), headers: lowerHeaders(event), rawBody }));
    } catch (error) {
      logError(options.logger ?? console, 'webhook handler failed', error);
      return toResult(errorResponse(500, 'internal_error', 'The webhook handler failed unexpectedly.'));
    }
  };
}
