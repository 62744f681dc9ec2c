/**
 * The Redis key layout of `bluetick/redis` (layout version 2; docs/redis.md):
 *
 * ```
 * <prefix>c:<eventId>                          claim: SET NX PX <claim ttl> (same as 0.1)
 * <prefix>{<messageId>}:states                 hash, one field per state of the message: `<provider>:<participant or empty>` → JSON; PX stateTtlMs
 * <prefix>stale:<status>                       sorted set per progress status (pending … read): stateKey() → time at that rank
 * <prefix>alias:<provider>:<alias>             WASender numeric send id → message id, PX stateTtlMs
 * <prefix>ob:<consumer>:q | :p | :n            outbox of one consumer: lease zset, payload hash, lease-count hash
 * <prefix>ob:<consumer>:dz | :dp | :dm         its dead letters: zset by time, payload hash, reason hash
 * <prefix>ob:consumers                         set of consumer names (stats, replay)
 * <prefix>ob:seq                               record id counter (no TTL: ids must never repeat)
 * <prefix>version                              layout version, written by migrate() (no TTL)
 * ```
 *
 * One hash per message holds all its states (the message itself and each group participant), so
 * `findByMessage` is one HGETALL, no index set is needed, and a merge costs an HGET, an HSET and a
 * PEXPIRE. A message untouched for `stateTtlMs` expires whole. The key keeps the `{<messageId>}`
 * hash tag of 0.1 (the message id escapes `%`, `{` and `}` inside it); the store does not run on
 * Redis Cluster (one ingest step spans many messages, see store.ts), but the tag costs nothing.
 */
import { idPart, joinId } from '../../event/ids.js';
import type { Provider } from '../../event/types.js';
import { ConfigError } from '../../errors.js';
import { stateKey, type StateIdentity } from '../../state/key.js';
import { RANK, RANK_STATUS } from '../../state/state.js';

/** The ranks the stale index covers: pending … read (a `played` message is done). */
export const STALE_RANKS: readonly number[] = RANK_STATUS.map((_, rank) => rank).filter((r) => r >= RANK.pending && r <= RANK.read);

/**
 * Where one state lives.
 *
 * @example
 * ```ts
 * const { hash, field }: StateKeys = store.keys.state({ provider: 'cloud', messageId: 'wamid.X' });
 * ```
 */
export interface StateKeys {
  /** The message's hash. */
  hash: string;
  /** The state's field in it: `<provider>:<participant or empty>`. */
  field: string;
  /** `stateKey()` of the state: its member in the stale sets. */
  key: string;
}

/**
 * The keys of one outbox consumer.
 *
 * @example
 * ```ts
 * const { queue }: OutboxKeys = store.keys.outbox('warehouse');
 * ```
 */
export interface OutboxKeys {
  /** Sorted set: entry (the records of one step, lua/outbox.ts) or record id → lease end (epoch ms; 0 = available now). */
  queue: string;
  /** Hash: record id → payload JSON, or an entry's fields (lua/outbox.ts). */
  payloads: string;
  /** Hash: record id → leases taken so far (absent: 1, the appender's). */
  leases: string;
  /** Sorted set: dead record id → dead-lettered at (epoch ms). */
  dead: string;
  /** Hash: dead record id → payload JSON. */
  deadPayloads: string;
  /** Hash: dead record id → `{ reason, message, attempts }` JSON. */
  deadReasons: string;
}

/**
 * The keys of a store under one prefix.
 *
 * @example
 * ```ts
 * const keys: KeyLayout = createKeyLayout('wa:');
 * keys.claim('evt-1'); // 'wa:c:evt-1'
 * ```
 */
export interface KeyLayout {
  readonly prefix: string;
  claim(eventId: string): string;
  state(id: StateIdentity): StateKeys;
  /** The hash holding every state of a message. */
  message(messageId: string): string;
  /** The stale sorted set of a progress rank (1 pending … 4 read). */
  stale(rank: number): string;
  alias(provider: Provider, alias: string): string;
  outbox(consumer: string): OutboxKeys;
  readonly consumers: string;
  readonly sequence: string;
  readonly version: string;
  /** SCAN MATCH pattern of the message hashes (filter the answers with {@link KeyLayout.isMessageKey}). */
  readonly messagePattern: string;
  /** True for a message hash of this layout (a glob `*` may also match other keys). */
  isMessageKey(key: string): boolean;
}

/**
 * Escapes a message id for use inside a hash tag (reversible; no `{` or `}` survive).
 *
 * @example
 * ```ts
 * hashTagOf('a{b}%'); // 'a%7Bb%7D%25'
 * ```
 */
export function hashTagOf(messageId: string): string {
  if (!/[%{}]/.test(messageId)) return messageId;
  return messageId.replace(/%/g, '%25').replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** Escapes glob metacharacters for SCAN MATCH. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Creates the key layout of a prefix.
 *
 * @example
 * ```ts
 * createKeyLayout('bluetick:').state({ provider: 'cloud', messageId: 'wamid.X', participantId: null });
 * // { hash: 'bluetick:{wamid.X}:states', field: 'cloud:', key: 'cloud:wamid.X:' }
 * ```
 */
export function createKeyLayout(prefix: string): KeyLayout {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigError('invalid_prefix', `redisStore(): the prefix must be a string without '{' or '}' (they would break the hash tag): ${String(prefix)}`);
  }
  const message = (messageId: string) => `${prefix}{${hashTagOf(messageId)}}:states`;
  const staleNames = new Map(STALE_RANKS.map((r) => [r, `${prefix}stale:${RANK_STATUS[r]}`]));
  const isMessageKey = (key: string): boolean => {
    if (!key.startsWith(`${prefix}{`)) return false;
    const close = key.indexOf('}', prefix.length + 1);
    return close > 0 && key.length === close + 8 && key.endsWith(':states');
  };
  return {
    prefix,
    claim: (eventId) => `${prefix}c:${eventId}`,
    state: (id) => ({ hash: message(id.messageId), field: joinId([id.provider, id.participantId ?? null]), key: stateKey(id) }),
    message,
    stale(rank) {
      const key = staleNames.get(rank);
      if (key === undefined) throw new RangeError(`no stale index for rank ${rank}`);
      return key;
    },
    alias: (provider, alias) => `${prefix}alias:${provider}:${alias}`,
    outbox(consumer) {
      const b = `${prefix}ob:${idPart(consumer)}:`;
      return { queue: `${b}q`, payloads: `${b}p`, leases: `${b}n`, dead: `${b}dz`, deadPayloads: `${b}dp`, deadReasons: `${b}dm` };
    },
    consumers: `${prefix}ob:consumers`,
    sequence: `${prefix}ob:seq`,
    version: `${prefix}version`,
    messagePattern: `${globEscape(prefix)}{*}:states`,
    isMessageKey,
  };
}
