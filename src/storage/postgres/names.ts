/** Qualified, quoted names of the store's tables, views and SQL functions. */
import { ConfigError } from '../../errors.js';

/** The analytics views. */
export interface ViewNames {
  funnelDaily: string;
  failuresDaily: string;
  interactionsDaily: string;
  revenueDaily: string;
}

/** Every name the store's SQL uses. */
export interface Names {
  /** Unquoted schema and prefix, for messages and lock keys. */
  schemaName: string;
  prefix: string;
  schema: string;
  states: string;
  claims: string;
  outbox: string;
  /** Packed outbox records: one row per step and consumer (schema version 3, see outbox.ts). */
  outboxSteps: string;
  /** The sequence of `outboxSteps` ids (blocks of record ids). */
  outboxStepIds: string;
  deadLetters: string;
  version: string;
  interactions: string;
  conversions: string;
  archive: string;
  views: ViewNames;
  /** A helper function's qualified name, e.g. `fn('merge_errors')` → `"public"."bluetick_merge_errors"`. */
  fn(name: string): string;
  /** An index name (unqualified: indexes live in their table's schema). */
  index(name: string): string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates `schema` and `tablePrefix` (plain identifiers only: they are spliced into SQL). */
export function createNames(schema = 'public', tablePrefix = 'bluetick_'): Names {
  if (typeof schema !== 'string' || !IDENT.test(schema) || schema.length > 48) {
    throw new ConfigError('invalid_schema', `postgresStore(): schema must be a plain identifier, got ${JSON.stringify(schema)}.`);
  }
  if (typeof tablePrefix !== 'string' || (tablePrefix !== '' && (!/^[A-Za-z0-9_]+$/.test(tablePrefix) || tablePrefix.length > 32))) {
    throw new ConfigError('invalid_table_prefix', `postgresStore(): tablePrefix must be letters, digits and _, got ${JSON.stringify(tablePrefix)}.`);
  }
  const q = (s: string) => `"${s}"`;
  const table = (s: string) => `${q(schema)}.${q(tablePrefix + s)}`;
  return {
    schemaName: schema,
    prefix: tablePrefix,
    schema: q(schema),
    states: table('states'),
    claims: table('claims'),
    outbox: table('outbox'),
    outboxSteps: table('outbox_steps'),
    outboxStepIds: table('outbox_step_ids'),
    deadLetters: table('dead_letters'),
    version: table('schema_version'),
    interactions: table('interactions'),
    conversions: table('conversions'),
    archive: table('states_archive'),
    views: { funnelDaily: table('funnel_daily'), failuresDaily: table('failures_daily'), interactionsDaily: table('interactions_daily'), revenueDaily: table('revenue_daily') },
    fn: table,
    index: (s) => q(tablePrefix + s),
  };
}
