/**
 * The Redis store's reads: `get` (HGET), `findByMessage` (HGETALL of the message's hash),
 * `findStale` (the stale sorted sets), `scanStates` (SCAN over the message hashes) and
 * `resolveAliases` (alias keys). Stale members whose message expired are removed by the search
 * that meets them (a sorted set outlives the states it names).
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
const SCAN_CALLS_PER_PAGE = 32;
/** Scans whose seen-sets are remembered (a scan abandoned midway is forgotten after this many newer ones). */
const OPEN_SCANS = 8;

type Reads = Pick<StateStore, 'get' | 'findByMessage' | 'findStale' | 'scanStates' | 'resolveAliases'>;

/** The states of `refs` (stateKey() strings), null where gone; one pipeline of HGETs. */
async function readStates(c: Redis, keys: KeyLayout, refs: readonly string[]): Promise<Array<DeliveryState | null>> {
  if (refs.length === 0) return [];
  const pipe = c.pipeline();
  for (const ref of refs) {
    const id = parseStateKey(ref);
    if (id === null) pipe.echo('');
    else {
      const k = keys.state(id);
      pipe.hget(k.hash, k.field);
    }
  }
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, v]) => {
    if (err) throw err;
    return typeof v === 'string' && v !== '' ? decodeState(v) : null;
  });
}

/** Every state in these message hashes; one pipeline of HGETALLs. */
async function readMessages(c: Redis, hashes: readonly string[]): Promise<DeliveryState[]> {
  if (hashes.length === 0) return [];
  const pipe = c.pipeline();
  for (const h of hashes) pipe.hgetall(h);
  const out: DeliveryState[] = [];
  for (const [err, v] of (await pipe.exec()) ?? []) {
    if (err) throw err;
    for (const json of Object.values(v as Record<string, string>)) out.push(decodeState(json));
  }
  return out;
}

/** Creates the reads of a store. */
export function createReads(run: RedisRunner, keys: KeyLayout): Reads {
  // SCAN may return a key twice (when the keyspace is resized between calls): each scan remembers
  // the message hashes it returned, so every state comes once per scan. Kept for this instance's scans.
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
        const states = await readStates(c, keys, members);
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
    // SCAN walks the whole database, whatever else it holds: a page stops after a bounded number
    // of calls even if it found fewer than `limit` (its cursor goes on), so that no single call
    // runs into the timeout on a database crowded with other keys.
    let calls = 0;
    do {
      const [next, batch] = await c.scan(at, 'MATCH', keys.messagePattern, 'COUNT', Math.max(limit, 100));
      at = next;
      for (const key of batch) {
        if (!keys.isMessageKey(key) || seen.has(key)) continue;
        seen.add(key);
        found.push(key);
      }
    } while (at !== '0' && found.length < limit && ++calls < SCAN_CALLS_PER_PAGE);
    const states = await readMessages(c, found);
    if (at === '0') scans.delete(id);
    return { states, cursor: at === '0' ? null : `${id}:${at}` };
  }

  return {
    get(key) {
      return run('get', async (c) => {
        const id = parseStateKey(sanitizeText(key));
        if (id === null) return null;
        const k = keys.state(id);
        const v = await c.hget(k.hash, k.field);
        return v === null ? null : decodeState(v);
      });
    },
    findByMessage(ref) {
      return run('findByMessage', async (c) => {
        const states = await readMessages(c, [keys.message(sanitizeText(ref.messageId))]);
        return states.filter((s) => ref.provider === undefined || s.provider === ref.provider);
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
