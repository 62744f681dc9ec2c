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
import { decodeState } from './columns.js';
import { ROW, type StepShape } from './ingest-sql.js';

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
 * next item's before is the previous item's after. The last after is the database's after
 * (equal to the fold by associativity; taking the stored value keeps the store authoritative).
 */
export function unfold(group: KeyGroup, items: readonly MergeItem[], before: DeliveryState | null, after: DeliveryState, out: MergeResult[]): void {
  let state = before;
  const last = group.items.length - 1;
  group.items.forEach((index, k) => {
    const obs = (items[index] as MergeItem).observation;
    let next = state === null ? obs : merge(state, obs);
    // merge returns `state` itself when nothing changed: keep that identity, else hand out the stored value.
    if (k === last && next !== state) next = after;
    out[index] = { before: state, after: next };
    state = next;
  });
}

/** A planned step: the statement's shape and parameters, and what reading its rows needs. */
export interface StepPlan {
  shape: StepShape;
  params: unknown[];
  events: readonly CanonicalEvent[];
  items: readonly MergeItem[];
  /** Per event: its (sanitized) id, and whether it is the id's first occurrence in the step. */
  ids: string[];
  first: boolean[];
  groups: KeyGroup[];
  /** Per event: the index of its merge item, or -1. */
  mergeOf: Int32Array;
  consumers: readonly string[];
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
  const params: unknown[] = [];
  const shape: StepShape = { claims: events.length > 0, merges: items.length > 0, interactions: false, outbox: false };

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
  if (shape.claims) params.push(step.claimTtlMs, [...seen].sort());

  const priors: (DeliveryState | null)[] = [];
  const groups = groupByKey(items, priors);
  if (shape.merges) {
    const keys = groups.map((g) => g.key);
    const states = JSON.stringify(groups.map((g) => g.joined));
    if (check && (suspectJson(states) || keys.some(suspectText))) return null;
    params.push(keys, states);
  }

  const interactions = step.interactions ?? [];
  if (interactions.length > 0) {
    const unique = new Map<string, InteractionRecord>();
    for (const r of interactions) if (!unique.has(r.id)) unique.set(r.id, r);
    const json = JSON.stringify([...unique.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    if (check && suspectJson(json)) return null;
    shape.interactions = true;
    params.push(json);
  }

  const mergeOf = new Int32Array(events.length).fill(-1);
  items.forEach((m, i) => {
    if (m.event >= 0) mergeOf[m.event] = i; // the last merge of an event is its (as stepRecords)
  });
  if (shape.claims && consumers.length > 0) {
    const list: Array<{ i: string; e: CanonicalEvent; k?: string; p?: DeliveryState; o?: DeliveryState }> = [];
    for (let i = 0; i < events.length; i++) {
      if (first[i] !== true) continue;
      const entry: (typeof list)[number] = { i: ids[i] as string, e: events[i] as CanonicalEvent };
      const m = mergeOf[i] as number;
      if (m >= 0) {
        const item = items[m] as MergeItem;
        entry.k = item.key;
        if (priors[m] !== null && priors[m] !== undefined) entry.p = priors[m];
        entry.o = item.observation;
      }
      list.push(entry);
    }
    const json = JSON.stringify(list);
    if (check && (suspectJson(json) || consumers.some(suspectText))) return null;
    shape.outbox = true;
    params.push(json, consumers, consumers.map((c) => c === LISTENERS_CONSUMER), step.outbox.leaseMs, now);
  }
  return { shape, params, events, items, ids, first, groups, mergeOf, consumers, now };
}

/** Orders bigint ids given as decimal strings. */
const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Reads the ingest statement's rows into the step's result. */
export function readStep(plan: StepPlan, rows: readonly unknown[][]): IngestResult {
  const won = new Set<string>();
  const states = new Map<string, unknown[]>();
  const recordIds: string[] = [];
  for (const row of rows) {
    const kind = Number(row[0]);
    if (kind === ROW.claimed) won.add(String(row[1]));
    else if (kind === ROW.merged) states.set(String(row[1]), row);
    else if (kind === ROW.record) recordIds.push(String(row[1]));
  }
  const claimed = plan.ids.map((id, i) => plan.first[i] === true && won.has(id));
  const merged = new Array<MergeResult>(plan.items.length);
  for (const g of plan.groups) {
    const row = states.get(g.key);
    if (row === undefined) throw new StorageError('query_failed', `PostgreSQL ingest returned no state for a merged key.`);
    unfold(g, plan.items, row[2] === null || row[2] === undefined ? null : decodeState(row[2] as unknown[]), decodeState(row[3] as unknown[]), merged);
  }
  recordIds.sort(byNumericId);
  const records: OutboxRecord[] = [];
  if (plan.shape.outbox) {
    let next = 0;
    plan.events.forEach((event, i) => {
      if (claimed[i] !== true) return;
      const m = plan.mergeOf[i] as number;
      for (const consumer of plan.consumers) {
        const id = recordIds[next++];
        if (id === undefined) break;
        const record: OutboxRecord = { id, consumer, event, attempts: 0, appendedAt: plan.now };
        if (m >= 0) {
          const change = merged[m] as MergeResult;
          record.before = change.before;
          record.after = change.after;
        }
        records.push(record);
      }
    });
    if (next !== recordIds.length || records.length !== recordIds.length) {
      throw new StorageError('query_failed', `PostgreSQL ingest appended ${recordIds.length} outbox records where ${records.length} were expected.`);
    }
  }
  return { claimed, merged, records };
}
