import { NormalizeError } from './errors.js';
import { boundEventDepth } from './event/bounded-json.js';
import type { CanonicalEvent, NormalizeResult, Provider } from './event/types.js';
import { normalizeCloud } from './providers/cloud/index.js';
import type { NormalizeContext, ProviderNormalizer } from './providers/context.js';
import { detectProvider } from './providers/detect.js';
import { normalizeOnPrem } from './providers/onprem/index.js';
import { normalizeWasender } from './providers/wasender/index.js';
import { describeValue } from './internal/describe.js';

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** Skip detection and treat the body as this provider's. */
  provider?: Provider;
  /** When the webhook was received (ISO string or Date); defaults to now. */
  receivedAt?: string | Date;
  /** Attach each provider item to its event as `raw`. Off by default (it doubles event size). */
  keepRaw?: boolean;
}

const NORMALIZERS: Record<Provider, ProviderNormalizer> = {
  cloud: normalizeCloud,
  onprem: normalizeOnPrem,
  wasender: normalizeWasender,
};

const decoder = new TextDecoder();

function parseBody(body: unknown): Record<string, unknown> {
  let value = body;
  if (value instanceof Uint8Array) value = decoder.decode(value);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (cause) {
      throw new NormalizeError('invalid_json', 'The webhook body is not valid JSON.', { cause });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new NormalizeError(
      'invalid_body',
      `The webhook body must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`,
    );
  }
  return value as Record<string, unknown>;
}

// Formatting a Date costs about as much as parsing a small webhook, so the last conversion is
// cached: a receiver normalizes many bodies per millisecond, and hosts pass the same receivedAt
// to a whole batch. The cache saves 12–21% of normalizing one status (bench/hot-paths.ts).
// formatIso is no substitute here: the receive time would be a third minute beside an item's time
// and its conversation expiry, and its two cached minute prefixes would thrash (bench/normalize.ts
// fell from ×0.91 to ×0.60 on a status with pricing when tried).
let lastNowMs = -1;
let lastNowIso = '';
let lastInput = '';
let lastInputIso = '';

function toIso(value: string | Date | undefined): string {
  if (value === undefined) {
    const now = Date.now();
    if (now !== lastNowMs) {
      lastNowMs = now;
      lastNowIso = new Date(now).toISOString();
    }
    return lastNowIso;
  }
  if (typeof value === 'string' && value === lastInput) return lastInputIso;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`normalize(): invalid receivedAt ${describeValue(value)}`);
  const iso = date.toISOString();
  if (typeof value === 'string') {
    lastInput = value;
    lastInputIso = iso;
  }
  return iso;
}

/**
 * Turns one webhook body from any supported provider into canonical events: every entry, change,
 * message, status and error of the batch, one event each. Synchronous and pure (bar reading the
 * clock when `receivedAt` is not given).
 *
 * Unknown message types, statuses, fields and events become events too (`type: "unknown"`,
 * `status: "unknown"`, `kind: "notification"`); only an unusable envelope throws.
 *
 * Hostile bodies are data too: free-form values nested deeper than 32 levels are cut with the
 * string `"[bluetick: truncated at depth 32]"` (so every event serializes), and a body that still
 * breaks a mapper (say an object with a `BigInt` passed already parsed) is a `NormalizeError`
 * (`invalid_body`, the original error as `cause`), never another exception.
 *
 * @param body - the raw body (string or bytes, preferred) or an already parsed object.
 * @throws {@link NormalizeError} with code `invalid_json`, `invalid_body`, `unknown_provider` or
 *   `invalid_envelope`. (A `receivedAt` option that is not a date is a TypeError: a host bug,
 *   not bad input.)
 *
 * @example
 * ```ts
 * import { normalize } from 'bluetick';
 *
 * const { provider, events } = normalize(rawBody);
 * for (const event of events) {
 *   if (event.kind === 'status') console.log(event.messageId, event.status);
 *   if (event.kind === 'message') console.log(event.from, event.text);
 * }
 * ```
 */
export function normalize(body: string | Uint8Array | object, options: NormalizeOptions = {}): NormalizeResult {
  const receivedAt = toIso(options.receivedAt);
  try {
    return normalizeParsed(parseBody(body), options.provider, { receivedAt, keepRaw: options.keepRaw === true });
  } catch (err) {
    if (err instanceof NormalizeError) throw err;
    // A mapper bug or a caller's object JSON cannot hold (a BigInt, a throwing getter): still bad
    // input to the webhook handler (400), never an unexpected 500. The fuzz tests hold plain
    // JSON bodies to never reaching this line.
    throw new NormalizeError('invalid_body', `The webhook body could not be normalized: ${err instanceof Error ? err.message : describeValue(err)}`, { cause: err });
  }
}

function normalizeParsed(parsed: Record<string, unknown>, given: Provider | undefined, ctx: NormalizeContext): NormalizeResult {
  const provider = given ?? detectProvider(parsed);
  if (provider === null) {
    throw new NormalizeError(
      'unknown_provider',
      'The body is not a Cloud API (object: "whatsapp_business_account"), On-Premises (top-level messages/statuses) or WASenderApi (event + data) webhook.',
    );
  }
  // A string first: an object option would make the key lookup itself throw (ToPropertyKey).
  const normalizer = typeof provider === 'string' && Object.hasOwn(NORMALIZERS, provider) ? NORMALIZERS[provider] : undefined;
  if (normalizer === undefined) throw new NormalizeError('unknown_provider', `Unknown provider "${describeValue(provider)}".`);
  const events = normalizer(parsed, ctx);
  for (let i = 0; i < events.length; i++) boundEventDepth(events[i] as CanonicalEvent, ctx.keepRaw);
  return { provider, events };
}
