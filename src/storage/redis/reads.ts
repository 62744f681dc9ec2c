/**
 * The Redis store's reads: `get`, `findByMessage` (the message's index set), `findStale` (the
 * stale sorted sets), `scanStates` (SCAN over the state keys) and `resolveAliases` (alias keys).
 * Index members whose state expired are removed by the read that meets them (a state's TTL can
 * end before its index's).
 */
import type { Redis } from 'ioredis';
import { parseStateKey } from '../../state/key.js';
import { hasFailure } from '../../state/present.js';
import { atOfRank, RANK, type DeliveryState } from '../../state/state.js';
import { sanitizeText } from '../sanitize.js';
import type { StateStore, StatePage, StaleQuery } from '../state-store.js';
import { decodeState } from './codec.js';
import type { KeyLayout } from './keys.js';
import type { RedisRunner } from './outbox.js';

const PAGE = 500;
const DEFAULT_SCAN_PAGE = 1000;
/** Scans whose seen-sets are remembered (a scan abandoned midway is forgotten after this many newer ones). */
const OPEN_SCANS = 8;

type Reads = Pick<StateStore, 'get' | 'findByMessage' | 'findStale' | 'scanStates' | 'resolveAliases'>;

async function readStates(c: Redis, keys: readonly string[]): Promise<Array<DeliveryState | null>> {
  if (keys.length === 0) return [];
  const values = await c.mget(...keys);
  return values.map((v) => (v === null ? null : decodeState(v)));
}

/** Creates the reads of a store. */
export function createReads(run: RedisRunner, keys: KeyLayout): Reads {
  // SCAN may return a key twice (when the keyspace is resized between calls): each scan remembers
  // the keys it returned, so every state comes once per scan. Kept for the scans of this instance.
  const scans = new Map<string, Set<string>>();
  let scanCount = 0;

  async function findStale(c: Redis, query: StaleQuery): Promise<DeliveryState[]> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const out: DeliveryState[] = [];
    const gone: Array<[string, string]> = [];
    for (const status of new Set(query.statuses)) {
      const rank = RANK[status];
      const zkey = keys.stale(rank);
      for (let offset = 0; out.length < limit; offset += PAGE) {
        const members = await c.zrangebyscore(zkey, '-inf', `(${query.olderThan}`, 'LIMIT', offset, PAGE);
        const states = await readStates(c, members);
        states.forEach((s, i) => {
          if (s === null) gone.push([zkey, members[i] as string]);
          else if (out.length < limit && s.rank === rank && !hasFailure(s) && atOfRank(s, rank) < query.olderThan) out.push(s);
        });
        if (members.length < PAGE) break;
      }
      if (out.length >= limit) break;
    }
    if (gone.length > 0) {
      const pipe = c.pipeline();
      for (const [zkey, member] of gone) pipe.zrem(zkey, member);
      await pipe.exec();
    }
    return out;
  }

  async function scanPage(c: Redis, cursor: string | null | undefined, limit: number): Promise<StatePage> {
    let id: string;
    let at = '0';
    const sep = cursor ? cursor.indexOf(':') : -1;
    if (cursor && sep > 0) {
      id = cursor.slice(0, sep);
      at = cursor.slice(sep + 1);
    } else {
      id = `${process.pid}.${++scanCount}`;
    }
    let seen = scans.get(id);
    if (seen === undefined) {
      // A cursor of another instance (or a forgotten scan) continues, without the duplicate filter.
      seen = new Set();
      scans.set(id, seen);
      while (scans.size > OPEN_SCANS) scans.delete(scans.keys().next().value as string);
    }
    const found: string[] = [];
    do {
      const [next, batch] = await c.scan(at, 'MATCH', keys.statePattern, 'COUNT', Math.max(limit, 10));
      at = next;
      for (const key of batch) {
        if (!keys.isStateKey(key) || seen.has(key)) continue;
        seen.add(key);
        found.push(key);
      }
    } while (at !== '0' && found.length < limit);
    const states = (await readStates(c, found)).filter((s): s is DeliveryState => s !== null);
    if (at === '0') scans.delete(id);
    return { states, cursor: at === '0' ? null : `${id}:${at}` };
  }

  return {
    get(key) {
      return run('get', async (c) => {
        const id = parseStateKey(sanitizeText(key));
        if (id === null) return null;
        const v = await c.get(keys.state(id).state);
        return v === null ? null : decodeState(v);
      });
    },
    findByMessage(ref) {
      return run('findByMessage', async (c) => {
        const messageId = sanitizeText(ref.messageId);
        const index = keys.messageIndex(messageId);
        const members = await c.smembers(index);
        const states = await readStates(
          c,
          members.map((m) => keys.stateOfMember(messageId, m)),
        );
        const gone = members.filter((_, i) => states[i] === null);
        if (gone.length > 0) await c.srem(index, ...gone);
        return states.filter((s): s is DeliveryState => s !== null && (ref.provider === undefined || s.provider === ref.provider));
      });
    },
    findStale(query) {
      return run('findStale', (c) => findStale(c, query));
    },
    scanStates(options = {}) {
      return run('scanStates', (c) => scanPage(c, options.cursor, Math.max(1, Math.floor(options.limit ?? DEFAULT_SCAN_PAGE))));
    },
    resolveAliases(provider, aliases) {
      return run('resolveAliases', async (c) => {
        const out: Record<string, string> = {};
        if (aliases.length === 0) return out;
        const values = await c.mget(...aliases.map((a) => keys.alias(provider, sanitizeText(a))));
        values.forEach((v, i) => {
          if (v !== null) out[aliases[i] as string] = v;
        });
        return out;
      });
    },
  };
}
