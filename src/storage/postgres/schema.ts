/**
 * The DDL of schema version 2: the states, claims, outbox and dead-letter tables and their
 * indexes. Ranks and time columns come from src/state/ (the generated `rank_at` column is the
 * time of the current rank).
 */
import { RANK_STATUS, TIME_FIELDS } from '../../state/state.js';
import { COLUMNS, timeColumn, type Column } from './columns.js';
import type { Names } from './names.js';

/** A column's DDL (`estimated` has a default, so that migrating a 0.1 table can add it). */
export function columnDefinition(c: Column): string {
  const collate = c.type === 'text' || c.type === 'text[]' ? ' COLLATE "C"' : '';
  const notNull = c.nullable ? '' : ' NOT NULL';
  const dflt = c.kind === 'estimated' ? ' DEFAULT 0' : '';
  return `${c.name} ${c.type}${collate}${notNull}${dflt}`;
}

/** The time of a state's current rank, 0 for rank 0 (`rank_at`, findStale's index). */
export function rankAtExpression(): string {
  const cases = RANK_STATUS.slice(1).map((_, i) => `WHEN ${i + 1} THEN ${timeColumn(TIME_FIELDS[i] as (typeof TIME_FIELDS)[number])}`);
  return `CASE rank ${cases.join(' ')} ELSE 0 END`;
}

/** Indexes on the states table the store itself needs (analytics adds its own, see views.ts). */
export function stateIndexes(n: Names): string[] {
  return [
    // findStale: unfailed states by rank and the rank's timestamp.
    `CREATE INDEX IF NOT EXISTS ${n.index('states_stale')} ON ${n.states} (rank, rank_at) WHERE failed_at = 0 AND errors IS NULL`,
    // findByMessage and group summaries.
    `CREATE INDEX IF NOT EXISTS ${n.index('states_message')} ON ${n.states} (message_id)`,
    // resolveAliases: WASender numeric send ids kept by track(); partial, so only those states pay.
    `CREATE INDEX IF NOT EXISTS ${n.index('states_alias')} ON ${n.states} ((meta->>'wasenderMsgId')) WHERE (meta->>'wasenderMsgId') IS NOT NULL`,
  ];
}

/**
 * The outbox and dead-letter tables (version 2 on any database). Events and the merge parts are
 * `json`, the text as appended (cheaper to write and to read back than `jsonb`, and never queried
 * inside); `base` is the state row's own `prev` (jsonb).
 */
export function outboxTables(n: Names): string[] {
  return [
    // A queue table: rows come and go fast, so vacuum it long before the default 20% of dead rows.
    // One index per row: the key (consumer, id) serves lease (a consumer's records oldest first,
    // whatever other consumers hold back), ack, release and dead-lettering (always by consumer).
    `CREATE TABLE IF NOT EXISTS ${n.outbox} (
       id bigserial,
       consumer text COLLATE "C" NOT NULL,
       event json NOT NULL,
       base jsonb, prior json, obs json,
       leases integer NOT NULL DEFAULT 0,
       lease_until timestamptz NOT NULL,
       appended_at bigint NOT NULL,
       PRIMARY KEY (consumer, id)
     ) WITH (autovacuum_vacuum_scale_factor = 0.01)`,
    `CREATE TABLE IF NOT EXISTS ${n.deadLetters} (
       id bigint PRIMARY KEY,
       consumer text COLLATE "C" NOT NULL,
       event json NOT NULL,
       base jsonb, prior json, obs json,
       appended_at bigint NOT NULL,
       reason text COLLATE "C" NOT NULL,
       message text NOT NULL,
       attempts integer NOT NULL,
       at bigint NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS ${n.index('dead_letters_consumer')} ON ${n.deadLetters} (consumer, at, id)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('dead_letters_at')} ON ${n.deadLetters} (at)`,
  ];
}

/** Record ids per packed row: a row's records are its id + their position in the step (< PACK_SIZE). */
export const PACK_SIZE = 10_000;
/**
 * The first packed row id: 10^17, far above any bigserial of the outbox table, so the two kinds of
 * record ids never meet, and 18 digits long until the sequence's end (9·10^13 steps).
 */
export const PACK_BASE = '100000000000000000';

/**
 * Version 3: packed outbox records. One row per step and consumer holds all of the step's records
 * of that consumer (the tracker's listeners'), written in one tuple instead of one per event (see
 * outbox.ts). Its id comes from a sequence stepping by {@link PACK_SIZE}: record ids are id + the
 * event's position, so every record id stays a plain, unique, ascending number.
 */
export function outboxStepTables(n: Names): string[] {
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${n.outboxStepIds} AS bigint START WITH ${PACK_BASE} MINVALUE ${PACK_BASE} MAXVALUE 999999999999990000 INCREMENT BY ${PACK_SIZE} NO CYCLE`,
    `CREATE TABLE IF NOT EXISTS ${n.outboxSteps} (
       id bigint NOT NULL,
       consumer text COLLATE "C" NOT NULL,
       events json NOT NULL,
       keys text[] NOT NULL,
       states json NOT NULL,
       changes json NOT NULL,
       bases jsonb,
       pending integer[] NOT NULL,
       leases integer NOT NULL DEFAULT 0,
       lease_until timestamptz NOT NULL,
       appended_at bigint NOT NULL,
       PRIMARY KEY (consumer, id)
     ) WITH (autovacuum_vacuum_scale_factor = 0.01)`,
    // A step's row is large (≈1 KB an event) and compressed into TOAST once, on the hot path: lz4
    // where the server has it (≈10% of a 400-event step's server CPU against pglz, measured with
    // bench/receiver's 50-status steps), the default (pglz) elsewhere (PGlite, servers without lz4).
    `DO $$ BEGIN
       IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
         ALTER TABLE ${n.outboxSteps} ALTER COLUMN events SET COMPRESSION lz4, ALTER COLUMN states SET COMPRESSION lz4,
           ALTER COLUMN changes SET COMPRESSION lz4, ALTER COLUMN bases SET COMPRESSION lz4;
       END IF;
     END $$`,
  ];
}

/** Everything of version 2 on an empty schema. */
export function createVersion2(n: Names): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${n.states} (
       key text COLLATE "C" PRIMARY KEY,
       ${COLUMNS.map(columnDefinition).join(',\n       ')},
       rank_at bigint GENERATED ALWAYS AS (${rankAtExpression()}) STORED,
       prev jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now())`,
    ...stateIndexes(n),
    `CREATE TABLE IF NOT EXISTS ${n.claims} (id text COLLATE "C" PRIMARY KEY, expires_at timestamptz NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('claims_expires')} ON ${n.claims} (expires_at)`,
    ...outboxTables(n),
  ];
}
