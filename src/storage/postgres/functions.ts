/**
 * The SQL helper functions of the lattice join (docs/delivery-state.md): the parts of `merge()`
 * that are more than a one-line expression. Their limits come from src/state/ and are spliced in
 * when the DDL is built; every migration re-creates them (`CREATE OR REPLACE`).
 */
import type { TrackMeta } from '../../state/state.js';
import { MAX_ERRORS, MAX_TAGS } from '../../state/state.js';
import type { Names } from './names.js';

/**
 * The string fields of `TrackMeta`, each joined by "greater wins" (tags are the sorted union).
 * The type below fails to compile when `TrackMeta` gains a field this list does not name.
 */
export const META_STRINGS = ['campaign', 'wasenderMsgId', 'accountId', 'recipientId'] as const satisfies readonly (keyof TrackMeta)[];
type Unlisted = Exclude<keyof TrackMeta, (typeof META_STRINGS)[number] | 'tags'>;
const everyMetaField: [Unlisted] extends [never] ? true : never = true;
void everyMetaField;

/** The `CREATE OR REPLACE FUNCTION` statements of the helpers. */
export function functionStatements(n: Names): string[] {
  const fn = n.fn;
  // Every helper but `ord` pins its search_path: that keeps a caller's search_path from
  // redirecting the built-ins it calls, and it stops PostgreSQL from inlining the function into
  // the merge statement, which (measured) cut the statement's planning time from ~0.5 to ~0.1 ms.
  const head = (name: string, args: string, ret: string) =>
    `CREATE OR REPLACE FUNCTION ${fn(name)}(${args}) RETURNS ${ret} LANGUAGE sql IMMUTABLE PARALLEL SAFE${name === 'ord' ? '' : ' SET search_path = pg_catalog'} AS`;
  const ord = (x: string) => `${fn('ord')}(${x})`;
  const texts = (x: string) => `${fn('jsonb_texts')}(${x})`;
  return [
    // One field of an "absent < present, then byte order" comparison key.
    `${head('ord', 'x text', 'text')} $$ SELECT CASE WHEN x IS NULL THEN '0' ELSE '1' || x END $$`,
    // compareErrors as a sortable key: title, message, details, href, class.
    `${head('error_key', 'e jsonb', 'text[]')} $$ SELECT ARRAY[${['title', 'message', 'details', 'href', 'class'].map((f) => ord(`e->>'${f}'`)).join(', ')}] $$`,
    // compareBilling as a sortable key (billable prints as 'false' < 'true').
    `${head('billing_key', 'p jsonb, c jsonb', 'text[]')} $$ SELECT ARRAY[CASE WHEN p IS NULL THEN '0' ELSE '1' END, ${['billable', 'model', 'category', 'type']
      .map((f) => ord(`p->>'${f}'`))
      .join(', ')}, CASE WHEN c IS NULL THEN '0' ELSE '1' END, ${['id', 'origin', 'expiresAt'].map((f) => ord(`c->>'${f}'`)).join(', ')}] $$`,
    // Errors: union by code, the greater error per code, then the MAX_ERRORS smallest codes.
    `${head('merge_errors', 'a jsonb, b jsonb', 'jsonb')} $$ SELECT CASE WHEN b IS NULL THEN a WHEN a IS NULL THEN b ELSE (
       SELECT jsonb_object_agg(code, err) FROM (
         SELECT code, err FROM (
           SELECT DISTINCT ON (code) code, err FROM (
             SELECT key COLLATE "C" AS code, value AS err FROM jsonb_each(a)
             UNION ALL SELECT key COLLATE "C", value FROM jsonb_each(b)) u
           ORDER BY code, ${fn('error_key')}(err) COLLATE "C" DESC) d
         ORDER BY code LIMIT ${MAX_ERRORS}) k) END $$`,
    // Sorted set union keeping the n smallest (inputs are sorted sets, as merge assumes).
    `${head('union_sorted', 'a text[], b text[], n int', 'text[]')} $$ SELECT CASE WHEN b IS NULL THEN a WHEN a IS NULL THEN b[1:n] ELSE
       ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(a || b) AS u(x) ORDER BY 1 LIMIT n) END $$`,
    `${head('jsonb_texts', 'j jsonb', 'text[]')} $$ SELECT CASE WHEN jsonb_typeof(j) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(j)) END $$`,
    // TrackMeta: the greater of each string field, tags the sorted union of the MAX_TAGS smallest.
    `${head('merge_meta', 'a jsonb, b jsonb', 'jsonb')} $$ SELECT CASE WHEN b IS NULL THEN a WHEN a IS NULL THEN b ELSE jsonb_strip_nulls(jsonb_build_object(
       ${META_STRINGS.map((f) => `'${f}', greatest(a->>'${f}' COLLATE "C", b->>'${f}' COLLATE "C")`).join(',\n       ')},
       'tags', to_jsonb(${fn('union_sorted')}(${texts("a->'tags'")}, ${texts("b->'tags'")}, ${MAX_TAGS})))) END $$`,
  ];
}
