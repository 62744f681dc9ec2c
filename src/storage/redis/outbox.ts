/**
 * The Redis store's {@link Outbox}. Each consumer has a sorted set of entries (the records one
 * step appended) and records, scored by the end of their lease (server clock, epoch ms; 0 =
 * available now), a hash of payloads and a hash of lease counts; dead letters have their own
 * sorted set and hashes (keys.ts; entries and how they split: lua/outbox.ts).
 *
 * Why not a stream with a consumer group (`XREADGROUP` + `XAUTOCLAIM`), the usual Redis queue?
 * The contract needs what a group does not give: a lease length chosen by the holder per call
 * (XAUTOCLAIM's idle time is chosen by the claimer, who cannot know it), records appended ALREADY
 * leased to the appender inside the ingest script (a group delivers only through XREADGROUP, which
 * hands out the group's oldest undelivered entries, not the ones just added), `release` (make a
 * held record available at once), dead letters that can be replayed, and per-consumer deletion
 * (one stream read by several groups can only be trimmed below the slowest group's position). A
 * sorted set scored by lease end is a visibility-timeout queue: leasing is one
 * `ZRANGEBYSCORE -inf now` plus a re-score, all in one script, and every operation is O(log n)
 * per record. Records become available in the order their leases end (released and replayed ones
 * first, in append order: ids are zero-padded sequence numbers); with one lease length that is
 * append order.
 */
import type { Redis } from 'ioredis';
import type { CanonicalEvent } from '../../event/types.js';
import type { DeadLetterItem, DeadLetterRecord, DeadLetterReason, Outbox, OutboxRecord, OutboxStats } from '../outbox.js';
import { sanitizeText } from '../sanitize.js';
import { decodeState } from './codec.js';
import type { KeyLayout, OutboxKeys } from './keys.js';
import { ACK_LUA, DEAD_LETTER_LUA, DEAD_LIST_LUA, LEASE_LUA, RELEASE_LUA, REPLAY_LUA, STATS_LUA } from './lua/outbox.js';
import { luaScript, runScript, type LuaScript } from './script.js';

const LEASE = luaScript('lease', LEASE_LUA);
const ACK = luaScript('ack', ACK_LUA);
const RELEASE = luaScript('release', RELEASE_LUA);
const DEAD_LETTER = luaScript('deadLetter', DEAD_LETTER_LUA);
const DEAD_LIST = luaScript('deadLetters', DEAD_LIST_LUA);
const REPLAY = luaScript('replay', REPLAY_LUA);
const STATS = luaScript('stats', STATS_LUA);

/** Every outbox script, for tests and tools that preload or inspect them. */
export const OUTBOX_SCRIPTS: readonly LuaScript[] = [LEASE, ACK, RELEASE, DEAD_LETTER, DEAD_LIST, REPLAY, STATS];

/** Runs `fn` on a ready client, bounded by the store's timeout, with errors mapped to StorageErrors. */
export type RedisRunner = <T>(op: string, fn: (client: Redis) => Promise<T>, script?: boolean) => Promise<T>;

/** What the outbox needs from its store. */
export interface RedisOutboxContext {
  run: RedisRunner;
  keys: KeyLayout;
  /** TTL of every outbox key, refreshed by every write. */
  ttlMs: number;
  /** Most dead letters kept per consumer (the oldest go first). */
  maxDeadLetters: number;
}

type Payload = [number, CanonicalEvent, unknown?, unknown?];

const REPLAY_PAGE = 1000;

/** A record id of an entry: `<seq>/<k>:<i>` (lua/outbox.ts). */
const ENTRY_RECORD = /^(\d+\/(\d+)):(\d+)$/;

/** The records of an entry from its fields: appendedAt, then (event, after, before) per record. */
function entryRecords(entry: string, consumer: string, attempts: number, pieces: Array<string | null>): OutboxRecord[] {
  const appendedAt = Number(pieces[0]);
  const out: OutboxRecord[] = [];
  for (let i = 0; 1 + 3 * i < pieces.length; i++) {
    const event = pieces[1 + 3 * i];
    if (typeof event !== 'string') continue;
    const record: OutboxRecord = { id: `${entry}:${i}`, consumer, event: JSON.parse(event) as CanonicalEvent, attempts, appendedAt };
    const after = pieces[2 + 3 * i];
    if (typeof after === 'string') {
      const before = pieces[3 + 3 * i];
      record.before = typeof before === 'string' ? decodeState(before) : null;
      record.after = decodeState(after);
    }
    out.push(record);
  }
  return out;
}

/**
 * Ids to ack or release: the records of an entry named all together become the entry's member,
 * which the scripts handle in one step (the tracker acks whole steps).
 */
export function compactIds(ids: readonly string[]): string[] {
  const byEntry = new Map<string, Set<string>>();
  const out: string[] = [];
  for (const id of ids) {
    const m = ENTRY_RECORD.exec(id);
    if (m === null || !(Number(m[3]) < Number(m[2]))) {
      out.push(id);
      continue;
    }
    const entry = m[1] as string;
    let seen = byEntry.get(entry);
    if (seen === undefined) byEntry.set(entry, (seen = new Set()));
    seen.add(id);
  }
  for (const [entry, seen] of byEntry) {
    const k = Number(entry.slice(entry.indexOf('/') + 1));
    if (seen.size === k) out.push(entry);
    else out.push(...seen);
  }
  return out;
}

function recordOf(id: string, consumer: string, attempts: number, payload: string): OutboxRecord {
  const p = JSON.parse(payload) as Payload;
  const record: OutboxRecord = { id, consumer, event: p[1], attempts, appendedAt: p[0] };
  if (p.length > 2) {
    record.before = p[2] === null || p[2] === undefined ? null : decodeState(p[2] as Record<string, unknown>);
    record.after = decodeState(p[3] as Record<string, unknown>);
  }
  return record;
}

/** The keys of a consumer's undelivered records (lease, ack). */
function live(k: OutboxKeys): string[] {
  return [k.queue, k.payloads, k.leases];
}

/** Every key of a consumer plus the consumer names (dead letters, replay). */
function all(k: OutboxKeys, consumers: string): string[] {
  return [k.queue, k.payloads, k.leases, k.dead, k.deadPayloads, k.deadReasons, consumers];
}

/** Creates the outbox of a Redis store. */
export function createRedisOutbox(ctx: RedisOutboxContext): Outbox {
  const { run, keys } = ctx;
  const ttl = String(Math.ceil(ctx.ttlMs));

  async function consumersOf(client: Redis, consumer: string | undefined): Promise<string[]> {
    return consumer !== undefined ? [consumer] : (await client.smembers(keys.consumers)).sort();
  }

  return {
    async lease(consumer, limit, leaseMs) {
      const n = Math.floor(limit);
      if (!(n >= 1)) return [];
      const reply = (await run('outbox.lease', (c) => runScript(c, LEASE, live(keys.outbox(consumer)), [n, Math.max(1, Math.ceil(leaseMs)), ttl]), true)) as Array<string | number>;
      const out: OutboxRecord[] = [];
      for (let i = 1; i + 2 < reply.length; i += 3) {
        const member = String(reply[i]);
        const attempts = Number(reply[i + 1]);
        const payload = reply[i + 2];
        if (Array.isArray(payload)) out.push(...entryRecords(member, consumer, attempts, payload as Array<string | null>));
        else out.push(recordOf(member, consumer, attempts, String(payload)));
      }
      return out;
    },
    async ack(consumer, ids) {
      if (ids.length === 0) return;
      await run('outbox.ack', (c) => runScript(c, ACK, live(keys.outbox(consumer)), compactIds(ids)), true);
    },
    async release(consumer, ids) {
      if (ids.length === 0) return;
      await run('outbox.release', (c) => runScript(c, RELEASE, live(keys.outbox(consumer)), compactIds(ids)), true);
    },
    async deadLetter(consumer, items: readonly DeadLetterItem[]) {
      if (items.length === 0) return;
      const args: string[] = [ttl, String(ctx.maxDeadLetters), consumer];
      for (const it of items) args.push(it.id, JSON.stringify({ reason: it.reason, message: sanitizeText(String(it.message)), attempts: it.attempts }));
      await run('outbox.deadLetter', (c) => runScript(c, DEAD_LETTER, all(keys.outbox(consumer), keys.consumers), args), true);
    },
    async deadLetters(query = {}) {
      const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      return run(
        'outbox.deadLetters',
        async (c) => {
          const out: DeadLetterRecord[] = [];
          for (const consumer of await consumersOf(c, query.consumer)) {
            const k = keys.outbox(consumer);
            const reply = (await runScript(c, DEAD_LIST, [k.dead, k.deadPayloads, k.deadReasons], [limit])) as string[];
            for (let i = 0; i + 3 < reply.length; i += 4) {
              const why = JSON.parse(reply[i + 3] as string) as { reason?: DeadLetterReason; message?: string; attempts?: number };
              const record = recordOf(reply[i] as string, consumer, 0, reply[i + 2] as string);
              out.push({ id: record.id, consumer, event: record.event, reason: why.reason ?? 'retries_exhausted', message: why.message ?? '', attempts: why.attempts ?? 0, at: Number(reply[i + 1]) });
            }
          }
          out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          return limit < 0 ? out : out.slice(0, limit);
        },
        true,
      );
    },
    async replay(query) {
      return run(
        'outbox.replay',
        async (c) => {
          let moved = 0;
          for (const consumer of await consumersOf(c, query.consumer)) {
            const k = all(keys.outbox(consumer), keys.consumers);
            if (query.ids !== undefined) {
              if (query.ids.length === 0) continue;
              moved += ((await runScript(c, REPLAY, k, [ttl, consumer, query.ids.length, ...query.ids])) as number[])[0] as number;
              continue;
            }
            for (;;) {
              const [n, seen] = (await runScript(c, REPLAY, k, [ttl, consumer, REPLAY_PAGE])) as number[];
              moved += n as number;
              if ((seen as number) < REPLAY_PAGE) break;
            }
          }
          return moved;
        },
        true,
      );
    },
    async stats(): Promise<OutboxStats> {
      return run(
        'outbox.stats',
        async (c) => {
          const consumers = await consumersOf(c, undefined);
          const pending: Record<string, number> = {};
          const deadLetters: Record<string, number> = {};
          if (consumers.length === 0) return { pending, deadLetters };
          const keyList = [keys.consumers, ...consumers.flatMap((name) => [keys.outbox(name).queue, keys.outbox(name).payloads, keys.outbox(name).dead])];
          const counts = (await runScript(c, STATS, keyList, consumers)) as number[];
          consumers.forEach((consumer, i) => {
            const p = counts[2 * i] as number;
            const d = counts[2 * i + 1] as number;
            if (p > 0) pending[consumer] = p;
            if (d > 0) deadLetters[consumer] = d;
          });
          return { pending, deadLetters };
        },
        true,
      );
    },
  };
}
