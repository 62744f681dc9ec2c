/**
 * `migrate()`: moves what bluetick 0.1 wrote under a prefix to today's layout (keys.ts).
 *
 * 0.1 keyed a state by `<prefix>{<messageId>}:s:<provider>:<account>:<party>`, so a `track()`
 * that spelled the account or the number differently from the provider split one message in two.
 * Each 0.1 state is read, converted (the host's spellings of a `track()`-only state move into
 * `meta.accountId` / `meta.recipientId`; `estimated` is 0) and merged into its new key by the
 * ingest step itself, which joins the states that now share a key and rebuilds the message index,
 * the stale index and the aliases. The 0.1 key is then deleted only if it still holds what was read
 * (compare-and-delete; a changed one is read again). Claims keep their 0.1 keys (`<prefix>c:<id>`).
 *
 * Safe to repeat and to run in two processes at once: the join is idempotent, so merging a 0.1
 * state twice changes nothing, and only one process deletes each old key. The version key is
 * written last; until then a crash leaves work that the next run finishes.
 */
import { stateKey } from '../../state/key.js';
import { MAX_TAGS, RANK, TIME_FIELDS, type DeliveryState, type TrackMeta } from '../../state/state.js';
import type { IngestResult, IngestStep } from '../state-store.js';
import { decodeState } from './codec.js';
import { globEscape, STALE_RANKS, type KeyLayout } from './keys.js';
import type { RedisRunner } from './outbox.js';
import { luaScript, runScript } from './script.js';

/** The layout version this code writes; `migrate()` stores it under `<prefix>version`. */
export const LAYOUT_VERSION = '2';

/**
 * What `migrate()` did.
 *
 * @example
 * ```ts
 * const report: RedisMigrationReport = await store.migrate();
 * console.log(`${report.legacyStates} 0.1 states → ${report.states} states`);
 * ```
 */
export interface RedisMigrationReport {
  /** True when the prefix was already migrated (nothing was done). */
  alreadyMigrated: boolean;
  /** 0.1 state keys read, merged and deleted. */
  legacyStates: number;
  /** State keys written in the new layout (fewer than `legacyStates` where 0.1 had split a message). */
  states: number;
}

const BATCH = 200;
const ROUNDS = 5;

const DELETE_IF_SAME = luaScript(
  'deleteIfSame',
  `local changed = {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v == ARGV[i] then redis.call('DEL', KEYS[i]) elseif v then changed[#changed + 1] = i - 1 end
end
return changed`,
);

/** The 0.1 keys under a prefix: states, message indexes, stale sets. */
function legacyLayout(prefix: string) {
  return {
    statePattern: `${globEscape(prefix)}{*}:s:*`,
    isState(key: string): boolean {
      if (!key.startsWith(`${prefix}{`)) return false;
      const close = key.indexOf('}', prefix.length + 1);
      return close > 0 && key.startsWith(':s:', close + 1);
    },
    /** The message index of a state key: `<prefix>{<tag>}:m`. */
    indexOf: (key: string) => `${key.slice(0, key.indexOf('}', prefix.length + 1) + 1)}:m`,
    stale: STALE_RANKS.map((r) => `${prefix}stale:${r}`),
  };
}

/** True when a tracked 0.1 state holds nothing but its `track()`: no provider evidence at all. */
function trackOnly(s: DeliveryState): boolean {
  return s.rank <= RANK.pending && TIME_FIELDS.every((f, i) => i === 0 || s[f] === 0) && s.errors === null && s.annotations === null && s.billingRank < 0;
}

/**
 * A 0.1 state in today's shape. Under 0.1 a tracked state carried the host's account and
 * recipient as its own (they were its key); a state that also holds provider evidence was keyed
 * alike, so the host had spelled them as the provider does: both spellings are the same strings.
 */
export function fromV01(s: DeliveryState): DeliveryState {
  let meta = s.meta;
  if (meta?.tags !== undefined) meta = { ...meta, tags: [...new Set(meta.tags.map(String))].sort().slice(0, MAX_TAGS) };
  if (!s.tracked || (s.accountId === null && s.recipientId === null)) return meta === s.meta ? s : { ...s, meta };
  const host: TrackMeta = { ...(meta ?? {}) };
  if (s.accountId !== null && host.accountId === undefined) host.accountId = s.accountId;
  if (s.recipientId !== null && host.recipientId === undefined) host.recipientId = s.recipientId;
  const only = trackOnly(s);
  return { ...s, accountId: only ? null : s.accountId, recipientId: only ? null : s.recipientId, meta: host };
}

/** Runs the migration of one prefix (see the module comment). */
export async function migrateV01(run: RedisRunner, keys: KeyLayout, ingest: (step: IngestStep) => Promise<IngestResult>): Promise<RedisMigrationReport> {
  const legacy = legacyLayout(keys.prefix);
  if ((await run('migrate', (c) => c.get(keys.version))) === LAYOUT_VERSION) return { alreadyMigrated: true, legacyStates: 0, states: 0 };
  let legacyStates = 0;
  const written = new Set<string>();

  async function moveBatch(batch: string[]): Promise<void> {
    let todo = batch.filter((k) => legacy.isState(k));
    for (let round = 0; todo.length > 0; round++) {
      if (round === ROUNDS) throw new Error(`migrate(): 0.1 keys kept changing while being moved (is a 0.1 process still writing?): ${todo.slice(0, 3).join(', ')}`);
      const raws = await run('migrate', (c) => c.mget(...todo));
      const present = todo.map((k, i) => [k, raws[i]] as const).filter((e): e is readonly [string, string] => typeof e[1] === 'string');
      if (present.length === 0) return;
      const states = present.map(([, raw]) => fromV01(decodeState(raw)));
      await ingest({ events: [], merges: states.map((s) => ({ key: stateKey(s), observation: s, event: -1 })), claimTtlMs: 1, outbox: { consumers: [], leaseMs: 1 } });
      const changed = (await run(
        'migrate',
        (c) =>
          runScript(
            c,
            DELETE_IF_SAME,
            present.map(([k]) => k),
            present.map(([, v]) => v),
          ),
        true,
      )) as number[];
      const changedSet = new Set(changed);
      present.forEach(([, _v], i) => {
        if (changedSet.has(i)) return;
        legacyStates++;
        written.add(stateKey(states[i] as DeliveryState));
      });
      await run('migrate', (c) => c.del(...new Set(present.map(([k]) => legacy.indexOf(k)))));
      todo = changed.map((i) => (present[i] as readonly [string, string])[0]);
    }
  }

  // One SCAN page, then its keys, at a time: each command is bounded by the store's timeout, the
  // whole migration is not (it takes as long as the data needs).
  let cursor = '0';
  do {
    const [next, batch] = await run('migrate', (c) => c.scan(cursor, 'MATCH', legacy.statePattern, 'COUNT', 1000));
    cursor = next;
    for (let i = 0; i < batch.length; i += BATCH) await moveBatch(batch.slice(i, i + BATCH));
  } while (cursor !== '0');
  await run('migrate', async (c) => {
    await c.del(...legacy.stale);
    await c.set(keys.version, LAYOUT_VERSION);
  });
  return { alreadyMigrated: false, legacyStates, states: written.size };
}
