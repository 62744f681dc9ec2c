/**
 * The Redis key layout of `bluetick/redis` (layout version 2; docs/redis.md):
 *
 * ```
 * <prefix>c:<eventId>                          claim: SET NX PX <claim ttl> (same as 0.1)
 * <prefix>{<messageId>}:st:<provider>:<party>  state: JSON, PX stateTtlMs (party: participant or empty)
 * <prefix>{<messageId>}:ix                     set of the message's `<provider>:<party>` members
 * <prefix>stale:<status>                       sorted set per progress status (pending … read): state key → time at that rank
 * <prefix>alias:<provider>:<alias>             WASender numeric send id → message id, PX stateTtlMs
 * <prefix>ob:<consumer>:q | :p | :n            outbox of one consumer: lease zset, payload hash, lease-count hash
 * <prefix>ob:<consumer>:dz | :dp | :dm         its dead letters: zset by time, payload hash, reason hash
 * <prefix>ob:consumers                         set of consumer names (stats, replay)
 * <prefix>ob:seq                               record id counter (no TTL: ids must never repeat)
 * <prefix>version                              layout version, written by migrate() (no TTL)
 * ```
 *
 * The per-message keys keep the `{<messageId>}` hash tag of 0.1 (the message id escapes `%`,
 * `{` and `}` inside it), so a message's state and index always share a slot. The store does not
 * run on Redis Cluster (one ingest step spans many messages, see store.ts), but the tag costs
 * nothing and keeps a message's keys together on any future sharding.
 */
import { idPart, joinId } from '../../event/ids.js';
import type { Provider } from '../../event/types.js';
import { ConfigError } from '../../errors.js';
import type { StateIdentity } from '../../state/key.js';
import { RANK, RANK_STATUS } from '../../state/state.js';

/** The ranks the stale index covers: pending … read (a `played` message is done). */
export const STALE_RANKS: readonly number[] = RANK_STATUS.map((_, rank) => rank).filter((r) => r >= RANK.pending && r <= RANK.read);

/**
 * The keys of one state.
 *
 * @example
 * ```ts
 * const { state, index, member }: StateKeys = store.keys.state({ provider: 'cloud', messageId: 'wamid.X' });
 * ```
 */
export interface StateKeys {
  /** The state's own key. */
  state: string;
  /** The message's index set. */
  index: string;
  /** The member naming this state in `index`: `<provider>:<participant or empty>`. */
  member: string;
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
  /** Sorted set: record id → lease end (epoch ms; 0 = available now). */
  queue: string;
  /** Hash: record id → payload JSON. */
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
  /** Key of a state from its message id and its index member. */
  stateOfMember(messageId: string, member: string): string;
  /** Index key of a message id. */
  messageIndex(messageId: string): string;
  /** The stale sorted set of a progress rank (1 pending … 4 read). */
  stale(rank: number): string;
  alias(provider: Provider, alias: string): string;
  outbox(consumer: string): OutboxKeys;
  readonly consumers: string;
  readonly sequence: string;
  readonly version: string;
  /** SCAN MATCH pattern of the state keys (filter the answers with {@link KeyLayout.isStateKey}). */
  readonly statePattern: string;
  /** True for a state key of this layout (a glob `*` may also match other keys). */
  isStateKey(key: string): boolean;
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
 * // { state: 'bluetick:{wamid.X}:st:cloud:', index: 'bluetick:{wamid.X}:ix', member: 'cloud:' }
 * ```
 */
export function createKeyLayout(prefix: string): KeyLayout {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigError('invalid_prefix', `redisStore(): the prefix must be a string without '{' or '}' (they would break the hash tag): ${String(prefix)}`);
  }
  const base = (messageId: string) => `${prefix}{${hashTagOf(messageId)}}:`;
  const staleNames = new Map(STALE_RANKS.map((r) => [r, `${prefix}stale:${RANK_STATUS[r]}`]));
  const isStateKey = (key: string): boolean => {
    if (!key.startsWith(`${prefix}{`)) return false;
    const close = key.indexOf('}', prefix.length + 1);
    return close > 0 && key.startsWith(':st:', close + 1);
  };
  return {
    prefix,
    claim: (eventId) => `${prefix}c:${eventId}`,
    state(id) {
      const member = joinId([id.provider, id.participantId ?? null]);
      const b = base(id.messageId);
      return { state: `${b}st:${member}`, index: `${b}ix`, member };
    },
    stateOfMember: (messageId, member) => `${base(messageId)}st:${member}`,
    messageIndex: (messageId) => `${base(messageId)}ix`,
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
    statePattern: `${globEscape(prefix)}{*}:st:*`,
    isStateKey,
  };
}
