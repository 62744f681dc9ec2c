/**
 * The JavaScript half of the ingest step: what goes into the one statement of ingest-sql.ts and
 * how its rows become the step's result.
 *
 * One `INSERT … ON CONFLICT` cannot touch the same row twice, so the observations of one key are
 * joined here first (the lattice allows it: merging the join equals merging each in turn), and
 * each item's before/after is unfolded afterwards from the before state the database returned.
 * Claim ids, keys and interaction ids are sent sorted: that is the lock order (ingest-sql.ts).
 *
 * Text PostgreSQL cannot hold (NUL, lone surrogates) must never fail a batch. The tracker already
 * sanitizes every step; as a cheap second line the plan checks what it sends (one `includes` per
 * JSON parameter, a regex test per id and key) and, only when something looks suspect, plans the
 * step again from a copy sanitized the one documented way (src/storage/sanitize.ts).
 */
import type { InteractionRecord } from '../../analytics/types.js';
import { StorageError } from '../../errors.js';
import type { CanonicalEvent } from '../../event/types.js';
import { merge } from '../../state/merge.js';
import type { DeliveryState } from '../../state/state.js';
import { LISTENERS_CONSUMER, type OutboxRecord } from '../outbox.js';
import { sanitizeText, sanitizeValue } from '../sanitize.js';
import type { IngestResult, IngestStep, MergeItem, MergeResult } from '../state-store.js';
import { decodeState, stateRow } from './columns.js';
import { ROW } from './ingest-sql.js';
import { PACK_SIZE } from './schema.js';

/** The observations of one key within a step. */
export interface KeyGroup {
  key: string;
  /** Indexes into the step's merges, in order. */
  items: number[];
  joined: DeliveryState;
}

const byKey = (a: KeyGroup, b: KeyGroup) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Groups merge items by key, joining each group's observations; groups sorted by key. `priors[i]`
 * receives the join of the group's observations before item `i` (null for a group's first).
 */
export function groupByKey(items: readonly MergeItem[], priors: (DeliveryState | null)[] = []): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (let i = 0; i < items.length; i++) {
    const { key, observation } = items[i] as MergeItem;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, { key, items: [i], joined: observation });
      priors[i] = null;
    } else {
      priors[i] = g.joined;
      g.items.push(i);
      g.joined = merge(g.joined, observation);
    }
  }
  return [...groups.values()].sort(byKey);
}

/**
 * Writes each item's result into `out`: the first item's before is the database's before, each
 * next item's before is the previous item's after, each after the join of its before and its
 * observation. The database returns only the before: the last after equals what it stored (the
 * SQL join equals `merge()`, held by test/storage/postgres-merge-sql.test.ts, and the join is
 * associative), so neither the server builds it nor the client decodes it again.
 */
export function unfold(group: KeyGroup, items: readonly MergeItem[], before: DeliveryState | null, out: MergeResult[]): void {
  let state = before;
  for (const index of group.items) {
    const obs = (items[index] as MergeItem).observation;
    const next = state === null ? obs : merge(state, obs);
    out[index] = { before: state, after: next };
    state = next;
  }
}

/** A planned step: the ingest function's parameters, and what reading its rows needs. */
export interface StepPlan {
  /** Nothing to send (no events, no merges): the result is known without a round trip. */
  empty: boolean;
  /** Whether outbox records were asked for (claimed events × consumers). */
  records: boolean;
  params: unknown[];
  events: readonly CanonicalEvent[];
  items: readonly MergeItem[];
  /** Per event: its (sanitized) id, and whether it is the id's first occurrence in the step. */
  ids: string[];
  first: boolean[];
  groups: KeyGroup[];
  /** Per event: the index of its merge item, or -1. */
  mergeOf: Int32Array;
  /** Per event: its position among the first occurrences (the `events` parameter), or -1. */
  posOf: Int32Array;
  consumers: readonly string[];
  /** Per consumer: whether its records are packed into one row (see {@link packedId}). */
  packs: boolean[];
  now: number;
}

const suspectJson = (json: string): boolean => json.includes('\\u'); // NUL and lone surrogates serialize as \u escapes
const suspectText = (text: string): boolean => sanitizeText(text) !== text;

/** The step with every string sanitized (a copy; values that need nothing are shared). */
function sanitizeStep(step: IngestStep): IngestStep {
  const out: IngestStep = {
    events: step.events.map((e) => sanitizeValue(e)),
    merges: step.merges.map((m) => ({ key: sanitizeText(m.key), observation: sanitizeValue(m.observation), event: m.event })),
    claimTtlMs: step.claimTtlMs,
    outbox: { consumers: step.outbox.consumers.map(sanitizeText), leaseMs: step.outbox.leaseMs },
  };
  if (step.interactions !== undefined) out.interactions = step.interactions.map((r) => sanitizeValue(r));
  return out;
}

/** Plans a step (see the module comment for the sanitizing retry). */
export function planStep(step: IngestStep, now: number): StepPlan {
  return plan(step, now, true) ?? (plan(sanitizeStep(step), now, false) as StepPlan);
}

/** The plan, or null when `check` is set and a value looks like text PostgreSQL refuses. */
function plan(step: IngestStep, now: number, check: boolean): StepPlan | null {
  const events = step.events;
  const items = step.merges;
  const consumers = step.outbox.consumers;

  const ids: string[] = new Array<string>(events.length);
  const first: boolean[] = new Array<boolean>(events.length);
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const id = (events[i] as CanonicalEvent).id;
    if (check && suspectText(id)) return null;
    ids[i] = id;
    first[i] = !seen.has(id);
    seen.add(id);
  }

  const priors: (DeliveryState | null)[] = [];
  const groups = groupByKey(items, priors);
  const keys = groups.map((g) => g.key);
  const states = groups.length === 0 ? '[]' : JSON.stringify(groups.map((g) => stateRow(g.joined)));
  if (check && (suspectJson(states) || keys.some(suspectText))) return null;

  let interactions = '[]';
  if (step.interactions !== undefined && step.interactions.length > 0) {
    const unique = new Map<string, InteractionRecord>();
    for (const r of step.interactions) if (!unique.has(r.id)) unique.set(r.id, r);
    interactions = JSON.stringify([...unique.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    if (check && suspectJson(interactions)) return null;
  }

  const mergeOf = new Int32Array(events.length).fill(-1);
  items.forEach((m, i) => {
    if (m.event >= 0) mergeOf[m.event] = i; // the last merge of an event is its (as stepRecords)
  });
  const posOf = new Int32Array(events.length).fill(-1);
  const records = events.length > 0 && consumers.length > 0;
  // The listeners' records of a step go into ONE row (see ingest-sql.ts): positions < PACK_SIZE.
  // bench/receiver.ts, 50-status batches: the per-event rows were about half of PostgreSQL's CPU.
  const packs = records ? consumers.map((c) => c === LISTENERS_CONSUMER && seen.size <= PACK_SIZE) : [];
  const packing = packs.includes(true);
  const eventIds: string[] = [];
  const eventKeys: (string | null)[] = [];
  let eventsJson = '[]';
  let changesJson = '[]';
  if (records) {
    if (check && consumers.some(suspectText)) return null;
    const list: CanonicalEvent[] = [];
    const keeps = consumers.includes(LISTENERS_CONSUMER);
    // Packed, a group's only observation is its joined state: sent as the group's index.
    const groupOf = packing ? new Map(groups.map((g, i) => [g.key, g.items.length === 1 ? i : -1])) : undefined;
    const changes: Array<{ p?: DeliveryState; o: DeliveryState } | number | null> = [];
    for (let i = 0; i < events.length; i++) {
      if (first[i] !== true) continue;
      const m = mergeOf[i] as number;
      const item = m >= 0 ? (items[m] as MergeItem) : null;
      posOf[i] = eventIds.length;
      eventIds.push(ids[i] as string);
      eventKeys.push(item === null ? null : item.key);
      list.push(events[i] as CanonicalEvent);
      if (keeps) {
        const prior = m >= 0 ? priors[m] : null;
        const g = item === null || groupOf === undefined ? -1 : (groupOf.get(item.key) as number);
        changes.push(item === null ? null : g >= 0 ? g : prior === null || prior === undefined ? { o: item.observation } : { p: prior, o: item.observation });
      }
    }
    eventsJson = JSON.stringify(list);
    if (keeps) changesJson = JSON.stringify(changes);
    if (check && (suspectJson(eventsJson) || suspectJson(changesJson))) return null;
  }
  const params = [
    step.claimTtlMs,
    [...seen].sort(),
    keys,
    states,
    interactions,
    eventIds,
    eventKeys,
    eventsJson,
    changesJson,
    records ? consumers : [],
    records ? consumers.map((c) => c === LISTENERS_CONSUMER) : [],
    packs,
    step.outbox.leaseMs,
    now,
  ];
  const empty = events.length === 0 && items.length === 0 && interactions === '[]';
  return { empty, records, params, events, items, ids, first, groups, mergeOf, posOf, consumers, packs, now };
}

/** Orders bigint ids given as decimal strings. */
const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The id of the record at `position` of a packed row: the row's id (a multiple of PACK_SIZE,
 * 18 digits, schema.ts) + the position, as a decimal string.
 */
export function packedId(row: string, position: number): string {
  return row.slice(0, -4) + String(position).padStart(4, '0');
}

/** Reads the ingest statement's rows into the step's result. */
export function readStep(plan: StepPlan, rows: readonly unknown[][]): IngestResult {
  const lost = new Set<string>();
  const states = new Map<string, unknown[]>();
  const recordIds: string[] = [];
  const packed = new Map<string, string>();
  let keys = -1;
  for (const row of rows) {
    const kind = Number(row[0]);
    if (kind === ROW.lost) lost.add(String(row[1]));
    else if (kind === ROW.merged) states.set(String(row[1]), row);
    else if (kind === ROW.record) recordIds.push(String(row[1]));
    else if (kind === ROW.packed) packed.set(String(row[2]), String(row[1]));
    else if (kind === ROW.keys) keys = Number(row[1]);
  }
  if (keys !== plan.groups.length && !(keys === -1 && plan.empty)) {
    throw new StorageError('query_failed', `PostgreSQL ingest merged ${keys} keys where ${plan.groups.length} were sent.`);
  }
  const claimed = plan.ids.map((id, i) => plan.first[i] === true && !lost.has(id));
  const merged = new Array<MergeResult>(plan.items.length);
  for (const g of plan.groups) {
    const row = states.get(g.key); // none: the key had no state before this step
    unfold(g, plan.items, row === undefined || row[2] === null || row[2] === undefined ? null : decodeState(row[2] as unknown[]), merged);
  }
  recordIds.sort(byNumericId);
  const records: OutboxRecord[] = [];
  if (plan.records) {
    let next = 0;
    let expected = 0;
    const rowOf = plan.consumers.map((c, j) => (plan.packs[j] === true ? packed.get(c) : undefined));
    plan.events.forEach((event, i) => {
      if (claimed[i] !== true) return;
      const m = plan.mergeOf[i] as number;
      plan.consumers.forEach((consumer, j) => {
        expected++;
        let id: string | undefined;
        if (plan.packs[j] === true) {
          const row = rowOf[j];
          id = row === undefined ? undefined : packedId(row, plan.posOf[i] as number);
        } else id = recordIds[next++];
        if (id === undefined) return;
        const record: OutboxRecord = { id, consumer, event, attempts: 0, appendedAt: plan.now };
        if (m >= 0) {
          const change = merged[m] as MergeResult;
          record.before = change.before;
          record.after = change.after;
        }
        records.push(record);
      });
    });
    if (next !== recordIds.length || records.length !== expected) {
      throw new StorageError('query_failed', `PostgreSQL ingest appended ${records.length} outbox records where ${expected} were expected.`);
    }
  }
  return { claimed, merged, records };
}
