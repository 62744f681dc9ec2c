/**
 * The state columns, in one list shared by the DDL, the merge statement, the `prev` snapshot and
 * the row decoder, so that a field added to `DeliveryState` is added everywhere at once. The time
 * columns come from `TIME_FIELDS` (their order is the order of the `estimated` bits).
 */
import type { DeliveryState } from '../../state/state.js';
import { TIME_FIELDS } from '../../state/state.js';

/** How a column is stored and how the merge joins it (see join.ts). */
export type ColumnKind = 'identity' | 'max-text' | 'rank' | 'time' | 'estimated' | 'errors' | 'billing' | 'annotations' | 'tracked' | 'meta';

/** One state column. */
export interface Column {
  /** SQL name (snake_case). */
  name: string;
  field: keyof DeliveryState;
  type: 'text' | 'smallint' | 'bigint' | 'jsonb' | 'text[]' | 'boolean';
  kind: ColumnKind;
  nullable: boolean;
}

/** `deliveredAt` → `delivered_at`. */
export const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function col(field: keyof DeliveryState, type: Column['type'], kind: ColumnKind, nullable: boolean, name = snake(field)): Column {
  return { name, field, type, kind, nullable };
}

/** Every state column, in the order of the DDL, of `prev` and of every decoded row. */
export const COLUMNS: readonly Column[] = [
  col('provider', 'text', 'identity', false),
  col('messageId', 'text', 'identity', false),
  col('participantId', 'text', 'identity', true),
  col('accountId', 'text', 'max-text', true),
  col('recipientId', 'text', 'max-text', true),
  col('rank', 'smallint', 'rank', false),
  ...TIME_FIELDS.map((f) => col(f, 'bigint', 'time', false)),
  col('estimated', 'smallint', 'estimated', false),
  col('errors', 'jsonb', 'errors', true),
  col('billingRank', 'smallint', 'billing', false),
  col('pricing', 'jsonb', 'billing', true),
  col('conversation', 'jsonb', 'billing', true),
  col('bizOpaqueCallbackData', 'text', 'max-text', true, 'biz_opaque'),
  col('annotations', 'text[]', 'annotations', true),
  col('tracked', 'boolean', 'tracked', false),
  col('meta', 'jsonb', 'meta', true),
];

/** Column of a field. */
export function columnOf(field: keyof DeliveryState): Column {
  const c = COLUMNS.find((x) => x.field === field);
  if (c === undefined) throw new Error(`no column for ${String(field)}`);
  return c;
}

/** The SQL name of a time field's column (`sentAt` → `sent_at`). */
export const timeColumn = (field: (typeof TIME_FIELDS)[number]): string => columnOf(field).name;

/** `a.provider, a.message_id, …` (or bare names without an alias). */
export const columnList = (alias = ''): string => COLUMNS.map((c) => (alias ? `${alias}.${c.name}` : c.name)).join(', ');

const FIELDS = COLUMNS.map((c) => c.field);

/**
 * A state as a JSON array of its column values, in column order (what the ingest step sends, and
 * what `decodeState` reads back): without the field names it is about half the bytes to
 * serialize, send and parse (bench/receiver.ts, 50-status batches: the states were half of the
 * ≈60 KB a request's step sent).
 */
export function stateRow(state: DeliveryState): unknown[] {
  const out = new Array<unknown>(FIELDS.length);
  for (let i = 0; i < FIELDS.length; i++) out[i] = state[FIELDS[i] as keyof DeliveryState];
  return out;
}

/**
 * SQL reading each column from a `jsonb` array of {@link stateRow} (`x`): JSON null is SQL NULL,
 * as `json_to_recordset` reads it; annotations through `jsonb_texts` (functions.ts).
 */
export function rowColumns(x: string, jsonbTexts: string): string[] {
  return COLUMNS.map((c, i) => {
    switch (c.type) {
      case 'text':
        return `${x}->>${i}`;
      case 'jsonb':
        return `nullif(${x}->${i}, 'null'::jsonb)`;
      case 'text[]':
        return `${jsonbTexts}(${x}->${i})`;
      default:
        return `(${x}->>${i})::${c.type}`;
    }
  });
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v)); // pg returns int8 as a string, PGlite as bigint
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T)); // both drivers hand back parsed JSON
const texts = (v: unknown): string[] | null => (Array.isArray(v) ? v.map(String) : null);

/** Where each field sits in a row, from the column list (never typed by hand). */
const AT = Object.fromEntries(COLUMNS.map((c, i) => [c.field, i])) as Record<keyof DeliveryState, number>;
if (Object.keys(AT).length !== COLUMNS.length) throw new Error('columns.ts: a field has two columns');

/**
 * Decodes the {@link COLUMNS} values starting at `row[offset]` (a result row, or a `prev` JSON
 * array) into a state with every field `merge` produces. Each field is read at the position the
 * column list gives it; the object literal (rather than a loop of computed-key stores, which V8
 * cannot cache: ≈8 µs a state against ≈2 µs for this form, measured on the 2-core development
 * machine under load) keeps the decode off the ingest profile, and its type makes a new
 * `DeliveryState` field a compile error here until it is decoded.
 */
export function decodeState(row: readonly unknown[], offset = 0): DeliveryState {
  const v = (field: keyof DeliveryState): unknown => row[offset + AT[field]];
  return {
    provider: str(v('provider')) as DeliveryState['provider'],
    messageId: str(v('messageId')),
    participantId: strOrNull(v('participantId')),
    accountId: strOrNull(v('accountId')),
    recipientId: strOrNull(v('recipientId')),
    rank: num(v('rank')),
    pendingAt: num(v('pendingAt')),
    sentAt: num(v('sentAt')),
    deliveredAt: num(v('deliveredAt')),
    readAt: num(v('readAt')),
    playedAt: num(v('playedAt')),
    failedAt: num(v('failedAt')),
    deletedAt: num(v('deletedAt')),
    warningAt: num(v('warningAt')),
    estimated: num(v('estimated')),
    errors: json(v('errors')),
    billingRank: num(v('billingRank')),
    pricing: json(v('pricing')),
    conversation: json(v('conversation')),
    bizOpaqueCallbackData: strOrNull(v('bizOpaqueCallbackData')),
    annotations: texts(v('annotations')),
    tracked: v('tracked') === true,
    meta: json(v('meta')),
  };
}
