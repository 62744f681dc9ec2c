/**
 * The state columns, in one fixed order shared by the DDL, the merge statement, the `prev`
 * snapshot and the row decoder, so that a column added here is added everywhere at once.
 */
import type { Conversation, Pricing, Provider, ProviderError } from '../../event/types.js';
import type { DeliveryState, TrackMeta } from '../../tracking/state.js';

/** How a column is stored and how the merge joins it. */
export type ColumnKind = 'key-part' | 'max-text' | 'rank' | 'min-ts' | 'errors' | 'billing' | 'annotations' | 'tracked' | 'meta';

export interface Column {
  name: string;
  field: keyof DeliveryState;
  /** SQL type of the column. */
  type: 'text' | 'smallint' | 'bigint' | 'jsonb' | 'text[]' | 'boolean';
  /** SQL type of the batch parameter array elements (annotations travel as JSON). */
  param: 'text' | 'smallint' | 'bigint' | 'jsonb' | 'boolean';
  kind: ColumnKind;
  nullable: boolean;
}

function col(name: string, field: keyof DeliveryState, type: Column['type'], kind: ColumnKind, nullable: boolean): Column {
  const param = type === 'text[]' ? 'jsonb' : type;
  return { name, field, type, param, kind, nullable };
}

/** Every state column, in decoding order. */
export const COLUMNS: readonly Column[] = [
  col('provider', 'provider', 'text', 'key-part', false),
  col('account_id', 'accountId', 'text', 'max-text', true),
  col('message_id', 'messageId', 'text', 'key-part', false),
  col('recipient_id', 'recipientId', 'text', 'max-text', true),
  col('participant_id', 'participantId', 'text', 'max-text', true),
  col('rank', 'rank', 'smallint', 'rank', false),
  col('pending_at', 'pendingAt', 'bigint', 'min-ts', false),
  col('sent_at', 'sentAt', 'bigint', 'min-ts', false),
  col('delivered_at', 'deliveredAt', 'bigint', 'min-ts', false),
  col('read_at', 'readAt', 'bigint', 'min-ts', false),
  col('played_at', 'playedAt', 'bigint', 'min-ts', false),
  col('failed_at', 'failedAt', 'bigint', 'min-ts', false),
  col('deleted_at', 'deletedAt', 'bigint', 'min-ts', false),
  col('warning_at', 'warningAt', 'bigint', 'min-ts', false),
  col('errors', 'errors', 'jsonb', 'errors', true),
  col('billing_rank', 'billingRank', 'smallint', 'billing', false),
  col('pricing', 'pricing', 'jsonb', 'billing', true),
  col('conversation', 'conversation', 'jsonb', 'billing', true),
  col('biz_opaque', 'bizOpaqueCallbackData', 'text', 'max-text', true),
  col('annotations', 'annotations', 'text[]', 'annotations', true),
  col('tracked', 'tracked', 'boolean', 'tracked', false),
  col('meta', 'meta', 'jsonb', 'meta', true),
];

/** Column-major parameter arrays for `unnest`: one array per column, plus the keys first. */
export function encodeColumns(keys: readonly string[], states: readonly DeliveryState[]): unknown[][] {
  const out: unknown[][] = [keys.slice()];
  for (const c of COLUMNS) {
    const values = new Array<unknown>(states.length);
    for (let i = 0; i < states.length; i++) {
      const v = (states[i] as DeliveryState)[c.field];
      values[i] = c.param === 'jsonb' ? (v === null || v === undefined ? null : JSON.stringify(v)) : v;
    }
    out.push(values);
  }
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v)); // pg returns int8 as a string
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const objOrNull = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T));

/**
 * Decodes the {@link COLUMNS} values starting at `row[offset]` (a result row or the `prev` JSON
 * array) into a state with exactly the shape `merge` produces.
 */
export function decodeState(row: readonly unknown[], offset = 0): DeliveryState {
  const v = (i: number): unknown => row[offset + i];
  return {
    provider: String(v(0)) as Provider,
    accountId: strOrNull(v(1)),
    messageId: String(v(2)),
    recipientId: strOrNull(v(3)),
    participantId: strOrNull(v(4)),
    rank: num(v(5)),
    pendingAt: num(v(6)),
    sentAt: num(v(7)),
    deliveredAt: num(v(8)),
    readAt: num(v(9)),
    playedAt: num(v(10)),
    failedAt: num(v(11)),
    deletedAt: num(v(12)),
    warningAt: num(v(13)),
    errors: objOrNull<Record<string, ProviderError>>(v(14)),
    billingRank: num(v(15)),
    pricing: objOrNull<Pricing>(v(16)),
    conversation: objOrNull<Conversation>(v(17)),
    bizOpaqueCallbackData: strOrNull(v(18)),
    annotations: objOrNull<string[]>(v(19)),
    tracked: v(20) === true,
    meta: objOrNull<TrackMeta>(v(21)),
  };
}
