/**
 * The Redis key layout of `bluetick/redis`. Every key a merge script touches for one message
 * carries the same Redis Cluster hash tag, `{<messageId>}`, so the state and its message index
 * always live in one hash slot:
 *
 * ```
 * <prefix>c:<eventId>                        claim (SET NX PX)
 * <prefix>{<messageId>}:s:<provider>:<accountId>:<party>   state (JSON string)
 * <prefix>{<messageId>}:m                     set of the message's state suffixes (findByMessage)
 * <prefix>stale:<rank>                        sorted set per progress rank (findStale, opt-in on Cluster)
 * ```
 *
 * The message id inside the tag escapes `%`, `{` and `}` so that no id can end the tag early or
 * open a second one; the prefix may not contain `{` or `}` for the same reason.
 */
import { joinId } from '../../event/ids.js';
import { ConfigError } from '../../errors.js';
import { parseTrackingKey } from '../../tracking/key.js';

/**
 * The Redis keys of one state.
 *
 * @example
 * ```ts
 * const { state, index, member }: StateKeys = store.keys.state(trackingKey(observation));
 * ```
 */
export interface StateKeys {
  /** The state's own key. */
  state: string;
  /** The message's index set (same hash slot as `state`). */
  index: string;
  /** The member naming this state in `index`: `joinId([provider, accountId, party])`. */
  member: string;
}

/**
 * Builds the keys under one prefix.
 *
 * @example
 * ```ts
 * const keys: KeyLayout = createKeyLayout('wa:');
 * keys.claim('evt-1'); // 'wa:c:evt-1'
 * ```
 */
export interface KeyLayout {
  readonly prefix: string;
  claim(id: string): string;
  /** Keys of the state stored under a tracking key (`trackingKey(observation)`). */
  state(trackingKey: string): StateKeys;
  /** Index key of a message id. */
  messageIndex(messageId: string): string;
  /** State key of a member read from a message index. */
  stateOfMember(messageId: string, member: string): string;
  /** The stale sorted set of a progress rank (1 pending … 4 read). */
  stale(rank: number): string;
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

/**
 * Creates the key layout of a prefix.
 *
 * @example
 * ```ts
 * createKeyLayout('bluetick:').state('cloud:waba:wamid.X:1555');
 * // { state: 'bluetick:{wamid.X}:s:cloud:waba:1555', index: 'bluetick:{wamid.X}:m', member: 'cloud:waba:1555' }
 * ```
 */
export function createKeyLayout(prefix: string): KeyLayout {
  if (/[{}]/.test(prefix)) {
    throw new ConfigError('invalid_prefix', `redisStore(): the prefix may not contain '{' or '}' (it would break the Cluster hash tag): ${prefix}`);
  }
  const messageBase = (messageId: string) => `${prefix}{${hashTagOf(messageId)}}:`;
  return {
    prefix,
    claim: (id) => `${prefix}c:${id}`,
    state(trackingKey) {
      const parts = parseTrackingKey(trackingKey);
      // A key that is not a tracking key still gets a state of its own, under its whole text.
      const messageId = parts === null ? trackingKey : parts.messageId;
      const member = parts === null ? 's' : joinId([parts.provider, parts.accountId, parts.party]);
      const base = messageBase(messageId);
      return { state: `${base}s:${member}`, index: `${base}m`, member };
    },
    messageIndex: (messageId) => `${messageBase(messageId)}m`,
    stateOfMember: (messageId, member) => `${messageBase(messageId)}s:${member}`,
    stale: (rank) => `${prefix}stale:${rank}`,
  };
}
