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

/** The column definition list of `jsonb_to_recordset` over states serialized by `JSON.stringify`. */
export const recordsetDefinition = (): string => COLUMNS.map((c) => `"${c.field}" ${c.type}`).join(', ');

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v)); // pg returns int8 as a string, PGlite as bigint
const nullable =
  (decode: (v: unknown) => unknown) =>
  (v: unknown): unknown =>
    v === null || v === undefined ? null : decode(v);

/** How each column kind's value is read back, from a native row value or a JSON array element. */
function decoderOf(c: Column): (v: unknown) => unknown {
  switch (c.type) {
    case 'smallint':
    case 'bigint':
      return num;
    case 'boolean':
      return (v) => v === true;
    case 'text':
      return c.nullable ? nullable(String) : String;
    case 'text[]':
      return (v) => (Array.isArray(v) ? v.map(String) : null);
    default:
      return nullable((v) => v); // jsonb: both drivers hand back parsed JSON
  }
}

const DECODERS = COLUMNS.map((c) => [c.field, decoderOf(c)] as const);

/**
 * Decodes the {@link COLUMNS} values starting at `row[offset]` (a result row, or a `prev` /
 * `after` JSON array) into a state, walking the column list: every field `merge` produces.
 */
export function decodeState(row: readonly unknown[], offset = 0): DeliveryState {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < DECODERS.length; i++) {
    const [field, decode] = DECODERS[i] as (typeof DECODERS)[number];
    out[field] = decode(row[offset + i]);
  }
  return out as unknown as DeliveryState;
}
