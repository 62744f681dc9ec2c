import { NormalizeError } from '../errors.js';
import type { NormalizeResult, Provider } from '../event/types.js';
import { emit, type MetricsHook, type WebhookOutcome } from '../metrics/hook.js';
import { normalize } from '../normalize.js';
import { isStorableJsonText, SANITIZED } from '../storage/sanitize.js';
import { detectProvider } from '../providers/detect.js';
import { handleVerificationChallenge } from '../verify/challenge.js';
import { DIAGNOSTIC_MESSAGES } from '../verify/diagnose.js';
import type { HandlerCrypto } from './crypto.js';
import { ingestWithTimeout, runIngest } from './ingest.js';
import { resolveOptions, type MaybePromise, type ResolvedOptions } from './options.js';
import { bodyParsedResponse, errorResponse, textResponse, tooLargeResponse } from './responses.js';
import { queryOf, selectProvider } from './select-provider.js';
import type { MountedWebhookHandler, WebhookHandlerOptions, WebhookRequest, WebhookResponse } from './types.js';
import { verifyRequest } from './verify-request.js';
import type { SpanLike } from '../tracing/api.js';
import { SPAN_KIND, type Tracing } from '../tracing/tracing.js';

const decoder = new TextDecoder();

function handleGet(url: string, options: ResolvedOptions): WebhookResponse {
  const query = queryOf(url);
  const tokens = options.cloud?.verifyTokens ?? null;
  if (tokens === null) {
    const handshake = query.has('hub.mode') || query.has('hub_mode');
    if (handshake) options.warnOnce('get_on_post_only', DIAGNOSTIC_MESSAGES.get_on_post_only);
    return errorResponse(405, handshake ? 'verification_not_configured' : 'method_not_allowed', 'This webhook endpoint accepts POST only.', handshake ? DIAGNOSTIC_MESSAGES.get_on_post_only : undefined, { allow: 'POST' });
  }
  const result = handleVerificationChallenge(query, tokens);
  if (result.ok) return textResponse(200, result.challenge);
  return errorResponse(result.status, `challenge_${result.reason}`, result.message);
}

/** The 200 body: `{ ok, provider, received, messages, statuses, errors, notifications }`, built without JSON.stringify (hot path). */
function acknowledged(result: NormalizeResult): WebhookResponse {
  let messages = 0;
  let statuses = 0;
  let errors = 0;
  let notifications = 0;
  for (const event of result.events) {
    if (event.kind === 'message') messages++;
    else if (event.kind === 'status') statuses++;
    else if (event.kind === 'error') errors++;
    else notifications++;
  }
  const body = `{"ok":true,"provider":"${result.provider}","received":${result.events.length},"messages":${messages},"statuses":${statuses},"errors":${errors},"notifications":${notifications}}`;
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

/** Parses, confirms the provider by the body's shape, and normalizes; or the 400 that explains why not. */
function parseAndNormalize(raw: string | Uint8Array, selected: Provider | null, options: ResolvedOptions): NormalizeResult | WebhookResponse {
  let parsed: unknown;
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : decoder.decode(raw);
    parsed = JSON.parse(text);
  } catch {
    return errorResponse(400, 'invalid_json', 'The webhook body is not valid JSON.');
  }
  try {
    let provider = selected;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const detected = detectProvider(parsed as Record<string, unknown>);
      if (detected === null) throw new NormalizeError('unknown_provider', 'The body matches no known provider envelope.');
      // The credential said one provider, the envelope says another: fail closed.
      if (selected !== null && detected !== selected) {
        return errorResponse(400, 'provider_mismatch', `The request is authenticated as ${selected} but the body is a ${detected} webhook.`);
      }
      provider = detected;
    }
    const result = normalize(parsed as object, { provider: provider ?? undefined, keepRaw: options.keepRaw });
    // A body without NUL or lone surrogates gives events the tracker need not walk to sanitize.
    if (isStorableJsonText(text)) Object.defineProperty(result, SANITIZED, { value: true });
    return result;
  } catch (error) {
    if (error instanceof NormalizeError) return errorResponse(400, error.code, error.message);
    throw error;
  }
}

/**
 * A POST, synchronous as long as nothing has to be waited for: on Node, verifying (`createHmac`),
 * normalizing and an `onEvents` that returns no promise need no promise at all, so the adapters
 * answer without a promise layer per step. In bench/http.ts (with the callback body read of
 * node-io.ts) the server CPU per request went 76 → 64 µs for the node listener and 75 → 62 µs for
 * Fastify (medians of 5 rounds, shared machine).
 */
function handlePost(request: WebhookRequest, options: ResolvedOptions, crypto: HandlerCrypto, seen?: { provider: string }): MaybePromise<WebhookResponse> {
  const raw = request.rawBody;
  if (raw !== null && raw !== undefined && typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    options.warnOnce('body_parsed', DIAGNOSTIC_MESSAGES.body_parsed);
    return bodyParsedResponse('a body parser', DIAGNOSTIC_MESSAGES.body_parsed);
  }
  const body = raw ?? '';
  const size = typeof body === 'string' ? (body.length > options.maxBodyBytes / 3 ? new TextEncoder().encode(body).length : body.length) : body.length;
  if (size > options.maxBodyBytes) return tooLargeResponse(options.maxBodyBytes);
  const selection = selectProvider(request.headers, request.url, options);
  if (!selection.ok) return errorResponse(401, selection.code, selection.message);
  const provider = selection.provider;
  if (seen !== undefined && provider !== null) seen.provider = provider;
  if (provider === null) return normalizeAndIngest(body, provider, options, seen);
  const tracing = options.tracing;
  const span = tracing?.start('bluetick.verify', { 'bluetick.provider': provider });
  let denied: MaybePromise<WebhookResponse | null>;
  try {
    denied = verifyRequest(provider, body, request.headers, request.url, options, crypto);
  } catch (error) {
    if (span !== undefined) endStep(tracing as Tracing, span, undefined, 'verified');
    throw error;
  }
  if (denied instanceof Promise) {
    return denied.then(
      (answer) => {
        if (span !== undefined) endStep(tracing as Tracing, span, answer, 'verified');
        return answer ?? normalizeAndIngest(body, provider, options, seen);
      },
      (error: unknown) => {
        if (span !== undefined) endStep(tracing as Tracing, span, undefined, 'verified');
        throw error;
      },
    );
  }
  if (span !== undefined) endStep(tracing as Tracing, span, denied, 'verified');
  return denied ?? normalizeAndIngest(body, provider, options, seen);
}

/** After verification: normalize, then ingest (or not, per `ack`), then the 200. */
function normalizeAndIngest(body: string | Uint8Array, provider: Provider | null, options: ResolvedOptions, seen?: { provider: string }): MaybePromise<WebhookResponse> {
  const tracing = options.tracing;
  const span = tracing?.start('bluetick.normalize', {});
  let result: NormalizeResult | WebhookResponse | undefined;
  try {
    result = parseAndNormalize(body, provider, options);
  } finally {
    if (span !== undefined) endStep(tracing as Tracing, span, result, 'normalized');
  }
  if (!('events' in result)) return result;
  const normalized = result;
  if (seen !== undefined) seen.provider = normalized.provider;
  if (options.ack === 'immediate') {
    runIngest(normalized, options).catch(options.onError);
    return acknowledged(normalized);
  }
  const failed = ingestWithTimeout(normalized, options);
  if (failed instanceof Promise) return failed.then((answer) => answer ?? acknowledged(normalized));
  return failed ?? acknowledged(normalized);
}

/**
 * Ends a verify or normalize span: `done` with the provider and event count when the step passed,
 * `rejected` with the answer's status when it refused the request, an error when it threw.
 */
function endStep(tracing: Tracing, span: SpanLike, result: NormalizeResult | WebhookResponse | null | undefined, done: string): void {
  if (result === undefined) {
    // The error itself is recorded on the bluetick.webhook span it reaches.
    span.setAttribute('bluetick.outcome', 'error');
    return tracing.end(span, 'the step threw');
  }
  if (result === null || 'events' in result) {
    if (result !== null) {
      span.setAttribute('bluetick.provider', result.provider);
      span.setAttribute('bluetick.events', result.events.length);
    }
    span.setAttribute('bluetick.outcome', done);
  } else {
    span.setAttribute('bluetick.outcome', 'rejected');
    span.setAttribute('http.response.status_code', result.status);
  }
  tracing.end(span);
}

const OUTCOMES: Record<number, WebhookOutcome> = { 200: 'accepted', 400: 'bad_request', 401: 'unauthorized', 403: 'unauthorized', 413: 'too_large', 503: 'unavailable' };

/** handlePost with metrics: one `webhook` per POST, one `signatureFailure` per 401. */
async function measuredPost(request: WebhookRequest, options: ResolvedOptions, crypto: HandlerCrypto, metrics: MetricsHook, seen = { provider: 'unknown' }): Promise<WebhookResponse> {
  const started = performance.now();
  let outcome: WebhookOutcome = 'error';
  try {
    const response = await handlePost(request, options, crypto, seen);
    outcome = OUTCOMES[response.status] ?? 'error';
    if (response.status === 401) {
      let reason = 'unauthorized';
      try {
        reason = String((JSON.parse(response.body) as { error?: { code?: unknown } }).error?.code ?? reason);
      } catch {
        // keep the generic reason
      }
      emit(metrics, 'signatureFailure', seen.provider, reason);
    }
    return response;
  } finally {
    emit(metrics, 'webhook', seen.provider, outcome, performance.now() - started);
  }
}

/** A POST under a `bluetick.webhook` span (the verify, normalize and store spans are its children). */
async function tracedPost(request: WebhookRequest, options: ResolvedOptions, crypto: HandlerCrypto, tracing: Tracing): Promise<WebhookResponse> {
  const span = tracing.start('bluetick.webhook', {}, SPAN_KIND.server);
  const seen = { provider: 'unknown' };
  try {
    const response = await tracing.within(span, () =>
      options.metrics === undefined ? handlePost(request, options, crypto, seen) : measuredPost(request, options, crypto, options.metrics, seen),
    );
    span.setAttribute('bluetick.provider', seen.provider);
    span.setAttribute('http.response.status_code', response.status);
    span.setAttribute('bluetick.outcome', OUTCOMES[response.status] ?? 'error');
    tracing.end(span, response.status >= 500 ? new Error(`answered ${response.status}`) : undefined);
    return response;
  } catch (error) {
    span.setAttribute('bluetick.provider', seen.provider);
    span.setAttribute('bluetick.outcome', 'error');
    tracing.end(span, error);
    throw error;
  }
}

/**
 * The handler's answer, synchronous when nothing had to be waited for (a promise otherwise), for
 * the adapters in this folder: they write a synchronous answer without a promise in between.
 * Throws (or rejects) only on a bug; the adapters answer 500 then.
 */
export type WebhookDispatch = (request: WebhookRequest) => MaybePromise<WebhookResponse>;

/** The core an adapter mounts: `dispatch`, and the public async handler over the same options. */
export interface HandlerCore {
  dispatch: WebhookDispatch;
  handler: MountedWebhookHandler;
}

/**
 * Builds the framework-agnostic handler over an injected crypto implementation, and its
 * synchronous-when-possible `dispatch`. Runtime-agnostic: this module imports nothing from `node:*`.
 */
export function createCore(options: WebhookHandlerOptions, crypto: HandlerCrypto): HandlerCore {
  const resolved = resolveOptions(options);
  const dispatch: WebhookDispatch = (request) => {
    const method = request.method;
    // Adapters pass the method as the server parsed it (upper case); anything else is upper-cased once.
    if (method === 'POST' || method.toUpperCase() === 'POST') {
      if (resolved.tracing !== undefined) return tracedPost(request, resolved, crypto, resolved.tracing);
      return resolved.metrics === undefined ? handlePost(request, resolved, crypto) : measuredPost(request, resolved, crypto, resolved.metrics);
    }
    const upper = method.toUpperCase();
    if (upper === 'GET') return handleGet(request.url, resolved);
    const allow = resolved.cloud?.verifyTokens ? 'GET, POST' : 'POST';
    return errorResponse(405, 'method_not_allowed', `Method ${upper} is not allowed.`, undefined, { allow });
  };
  const handler = async (request: WebhookRequest): Promise<WebhookResponse> => dispatch(request);
  return { dispatch, handler: Object.assign(handler, { maxBodyBytes: resolved.maxBodyBytes, ready: () => resolved.ready() }) };
}

/** {@link createCore}'s public handler alone. */
export function createHandlerCore(options: WebhookHandlerOptions, crypto: HandlerCrypto): MountedWebhookHandler {
  return createCore(options, crypto).handler;
}
