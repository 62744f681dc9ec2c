/**
 * JSON ⇄ {@link DeliveryState} for the Redis store. States written by JS are `JSON.stringify`
 * output; states written by the Lua merge are `cjson.encode` output, which differs in three ways
 * this module undoes: an empty array comes back as `{}` (cjson cannot tell them apart), object
 * keys come in hash order, and `/` is escaped (harmless to `JSON.parse`). `decodeState` rebuilds
 * every state in the field order and shapes `merge()` produces, so a state read from Redis
 * deep-equals, and stringifies like, the JS join.
 */
import type { Conversation, Pricing, ProviderError } from '../../event/types.js';
import type { DeliveryState, TrackMeta } from '../../tracking/state.js';

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
  for (const k in src) if (!(k in out)) out[k] = src[k];
  return out as T;
}

// The orders cleanError / cleanPricing / cleanConversation build their objects in.
const ERROR_KEYS = ['code', 'class', 'title', 'message', 'details', 'href'] as const;
const PRICING_KEYS = ['billable', 'model', 'category', 'type'] as const;
const CONVERSATION_KEYS = ['id', 'origin', 'expiresAt'] as const;

function errorsOf(v: unknown): Record<string, ProviderError> | null {
  if (!isObject(v)) return null;
  const out: Record<string, ProviderError> = {};
  for (const code in v) {
    const e = v[code];
    out[code] = isObject(e) ? copyKeys<ProviderError>(e, ERROR_KEYS) : (e as ProviderError);
  }
  return out;
}

function metaOf(v: unknown): TrackMeta | null {
  if (!isObject(v)) return null;
  const out: TrackMeta = {};
  if (v.campaign !== undefined) out.campaign = v.campaign as string;
  if (v.tags !== undefined) out.tags = arrayOf(v.tags) as string[];
  if (v.wasenderMsgId !== undefined) out.wasenderMsgId = v.wasenderMsgId as string;
  return out;
}

/**
 * Parses a stored state (JS- or Lua-written JSON) into a {@link DeliveryState}.
 *
 * @example
 * ```ts
 * decodeState('{"provider":"cloud","annotations":{},…}').annotations; // []
 * ```
 */
export function decodeState(json: string): DeliveryState {
  const s = JSON.parse(json) as Json;
  return {
    provider: s.provider as DeliveryState['provider'],
    accountId: (s.accountId ?? null) as string | null,
    messageId: s.messageId as string,
    recipientId: (s.recipientId ?? null) as string | null,
    participantId: (s.participantId ?? null) as string | null,
    rank: s.rank as number,
    pendingAt: s.pendingAt as number,
    sentAt: s.sentAt as number,
    deliveredAt: s.deliveredAt as number,
    readAt: s.readAt as number,
    playedAt: s.playedAt as number,
    failedAt: s.failedAt as number,
    deletedAt: s.deletedAt as number,
    warningAt: s.warningAt as number,
    errors: errorsOf(s.errors),
    billingRank: s.billingRank as number,
    pricing: isObject(s.pricing) ? copyKeys<Pricing>(s.pricing, PRICING_KEYS) : null,
    conversation: isObject(s.conversation) ? copyKeys<Conversation>(s.conversation, CONVERSATION_KEYS) : null,
    bizOpaqueCallbackData: (s.bizOpaqueCallbackData ?? null) as string | null,
    annotations: arrayOf(s.annotations),
    tracked: s.tracked === true,
    meta: metaOf(s.meta),
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Serializes an observation for the script. Lone surrogates (ill-formed UTF-16, possible in a
 * provider's JSON) would make cjson fail the whole merge forever, so they become U+FFFD here.
 *
 * @example
 * ```ts
 * encodeState(observe(event)); // '{"provider":"cloud",…}'
 * ```
 */
export function encodeState(state: DeliveryState): string {
  const json = JSON.stringify(state);
  if (!json.includes('\\ud')) return json;
  return JSON.stringify(state, (_k, v: unknown) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : v));
}
