import type { WebhookResponse } from './types.js';

// The echoed challenge is attacker-chosen text reflected back: never cacheable, never sniffed as
// HTML. JSON answers to POSTs carry only their content type (POST responses are not cached), which
// keeps the hot path's header writing minimal.
const TEXT_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** A plain-text response (the GET challenge). */
export function textResponse(status: number, body: string): WebhookResponse {
  return { status, headers: { ...TEXT_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body };
}

/** The error body every non-2xx answer carries: a stable code, a message, and a hint when one applies. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  hint?: string,
  headers: Record<string, string> = {},
): WebhookResponse {
  const error: Record<string, string> = { code, message };
  if (hint !== undefined) error.hint = hint;
  return jsonResponse(status, { ok: false, error }, headers);
}

/** The 413 answer (also used by adapters that stop reading before the core sees the body). */
export function tooLargeResponse(maxBodyBytes: number): WebhookResponse {
  return errorResponse(
    413,
    'body_too_large',
    `The request body exceeds maxBodyBytes (${maxBodyBytes} bytes).`,
    undefined,
    { connection: 'close' },
  );
}

/** The 500 answer when a framework parsed the body before bluetick could read the bytes. */
export function bodyParsedResponse(framework: string, fix: string): WebhookResponse {
  return errorResponse(
    500,
    'body_already_parsed',
    `The request body was already consumed and parsed into an object by ${framework}, so the signed bytes are lost and the webhook signature cannot be verified.`,
    fix,
  );
}
