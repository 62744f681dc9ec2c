/**
 * JSON ⇄ {@link DeliveryState} for the Redis store. States written by JS are `JSON.stringify`
 * output; states written by the Lua join are `cjson.encode` output, which differs in three ways
 * this module undoes: an empty array comes back as `{}` (cjson cannot tell them apart), object
 * keys come in hash order, and `/` is escaped (harmless to `JSON.parse`). `decodeState` rebuilds
 * every state in the field order and shapes `observe()` and `merge()` produce, so a state read
 * from Redis deep-equals the JS join. States written by 0.1 (no `estimated`) decode too.
 *
 * Everything sent to Redis goes through {@link encodeJson}: NUL and lone surrogates become U+FFFD
 * (src/storage/sanitize.ts) so that cjson never meets an ill-formed `\ud800` escape, which would
 * fail the whole step on every retry.
 */
import type { Conversation, Pricing, ProviderError } from '../../event/types.js';
import type { DeliveryState, TrackMeta } from '../../state/state.js';
import { sanitizeValue } from '../sanitize.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An array field: cjson's `{}` for an empty array becomes `[]` again. */
function arrayOf(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v as string[];
  return isObject(v) && Object.keys(v).length === 0 ? [] : (v as string[]);
}

function copyKeys<T>(src: Json, keys: readonly string[]): T {
  const out: Json = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out)) Object.defineProperty(out, k, { value: src[k], enumerable: true, writable: true, configurable: true });
  return out as T;
}

// The orders cleanError / cleanPricing / cleanConversation build their objects in.
const ERROR_KEYS = ['code', 'class', 'title', 'message', 'details', 'href'] as const;
const PRICING_KEYS = ['billable', 'model', 'category', 'type'] as const;
const CONVERSATION_KEYS = ['id', 'origin', 'expiresAt'] as const;

function errorsOf(v: unknown): Record<string, ProviderError> | null {
  if (!isObject(v)) return null;
  // Prototype-free, like observe(): error codes are provider text ("__proto__" is a code too).
  const out = Object.create(null) as Record<string, ProviderError>;
  for (const code of Object.keys(v)) {
    const e = v[code];
    out[code] = isObject(e) ? copyKeys<ProviderError>(e, ERROR_KEYS) : (e as ProviderError);
  }
  return out;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' ? String(v) : undefined; // 0.1 stored a numeric wasenderMsgId as given
}

/** meta in the key order of merge()'s mergeMeta. */
function metaOf(v: unknown): TrackMeta | null {
  if (!isObject(v)) return null;
  const out: TrackMeta = {};
  const campaign = str(v.campaign);
  const wasenderMsgId = str(v.wasenderMsgId);
  const accountId = str(v.accountId);
  const recipientId = str(v.recipientId);
  if (campaign !== undefined) out.campaign = campaign;
  if (wasenderMsgId !== undefined) out.wasenderMsgId = wasenderMsgId;
  if (accountId !== undefined) out.accountId = accountId;
  if (recipientId !== undefined) out.recipientId = recipientId;
  if (v.tags !== undefined && v.tags !== null) out.tags = arrayOf(v.tags) as string[];
  return out;
}

const orNull = <T>(v: unknown): T | null => (v === undefined || v === null ? null : (v as T));
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * Parses a stored state (JS- or Lua-written JSON, or the object it parses to) into a
 * {@link DeliveryState} in `observe()`'s field order.
 *
 * @example
 * ```ts
 * decodeState('{"provider":"cloud","annotations":{},…}').annotations; // []
 * ```
 */
export function decodeState(src: string | Json): DeliveryState {
  const s = typeof src === 'string' ? (JSON.parse(src) as Json) : src;
  return {
    provider: s.provider as DeliveryState['provider'],
    messageId: s.messageId as string,
    participantId: orNull<string>(s.participantId),
    accountId: orNull<string>(s.accountId),
    recipientId: orNull<string>(s.recipientId),
    rank: num(s.rank),
    pendingAt: num(s.pendingAt),
    sentAt: num(s.sentAt),
    deliveredAt: num(s.deliveredAt),
    readAt: num(s.readAt),
    playedAt: num(s.playedAt),
    failedAt: num(s.failedAt),
    deletedAt: num(s.deletedAt),
    warningAt: num(s.warningAt),
    estimated: num(s.estimated),
    errors: errorsOf(s.errors),
    billingRank: typeof s.billingRank === 'number' ? s.billingRank : -1,
    pricing: isObject(s.pricing) ? copyKeys<Pricing>(s.pricing, PRICING_KEYS) : null,
    conversation: isObject(s.conversation) ? copyKeys<Conversation>(s.conversation, CONVERSATION_KEYS) : null,
    bizOpaqueCallbackData: orNull<string>(s.bizOpaqueCallbackData),
    annotations: arrayOf(s.annotations),
    tracked: s.tracked === true,
    meta: metaOf(s.meta),
  };
}

/**
 * A state without the fields at their default (null, 0, false; `billingRank` -1), as
 * {@link encodeState} stores it: `decodeState` and the Lua join (`fill`) restore them. A created
 * `sent` with pricing is 267 bytes instead of 507 (its message hash 512 bytes of `MEMORY USAGE`
 * instead of 816), and every byte is sent, parsed by Redis, hashed by its Lua and stored: 400-event
 * steps for the listeners' consumer took 104 k server instructions per event instead of 109 k
 * (callgrind; bench/redis.ts's tracker-shaped steps measure the whole).
 */
export function compactState(s: DeliveryState): Json {
  const out: Json = {};
  for (const k of Object.keys(s)) {
    const v = (s as unknown as Json)[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'billingRank' ? v === -1 : v === 0) continue;
    out[k] = v;
  }
  return out;
}

// JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX (valid pairs stay raw).
const POISON_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * A value as JSON for Redis, and the value that JSON stands for: the value itself, or (when it
 * held NUL or a lone surrogate) its sanitized copy, so what callers get back is what was stored.
 *
 * @example
 * ```ts
 * encodeJson({ title: 'x\u0000' }); // { json: '{"title":"x\uFFFD"}', value: { title: 'x\uFFFD' } }
 * ```
 */
export function encodeJson<T>(value: T): { json: string; value: T } {
  const json = JSON.stringify(value);
  if (!POISON_ESCAPE.test(json)) return { json, value };
  const clean = sanitizeValue(value);
  return clean === value ? { json, value } : { json: JSON.stringify(clean), value: clean };
}

/**
 * A state as compact JSON for Redis ({@link compactState}), sanitized like {@link encodeJson};
 * `value` is the full state that JSON stands for.
 *
 * @example
 * ```ts
 * encodeState(observation).json; // '{"provider":"cloud","messageId":"wamid.X","rank":3,"deliveredAt":…}'
 * ```
 */
export function encodeState(state: DeliveryState): { json: string; value: DeliveryState } {
  const json = JSON.stringify(compactState(state));
  if (!POISON_ESCAPE.test(json)) return { json, value: state };
  const clean = sanitizeValue(state);
  return clean === state ? { json, value: state } : { json: JSON.stringify(compactState(clean)), value: clean };
}
