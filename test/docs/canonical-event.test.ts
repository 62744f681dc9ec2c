import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventSchema } from '../../src/event/schema.js';
import { branches, collectRows, DOC_PATH, renderEventDocs, typeLabel } from '../../scripts/gen-event-docs.js';
import { readFieldDocs } from '../../scripts/event-docs/tsdoc.js';

const KINDS = ['message', 'status', 'error', 'notification'] as const;
const docs = readFieldDocs(new URL('../../src/event/types.ts', import.meta.url).pathname, [
  'EventBase',
  'MessageEvent',
  'StatusEvent',
  'ErrorEvent',
  'NotificationEvent',
]);

describe('docs/canonical-event.md', () => {
  it('is exactly what scripts/gen-event-docs.ts generates from eventSchema (run npm run docs:event)', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderEventDocs(eventSchema, docs));
  });

  it('has a section for every kind of the schema and a row for every field of every kind', () => {
    const text = renderEventDocs(eventSchema, docs);
    const byKind = branches(eventSchema);
    expect([...byKind.keys()].sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      expect(text).toContain(`## \`kind: "${kind}"\``);
      for (const field of Object.keys(byKind.get(kind)?.properties ?? {})) expect(text).toContain(`| \`${field}\` |`);
    }
  });

  it('describes every field (a new field needs TSDoc in types.ts or a fallback in the script)', () => {
    const missing: string[] = [];
    const byKind = branches(eventSchema);
    const typeOf = { message: 'MessageEvent', status: 'StatusEvent', error: 'ErrorEvent', notification: 'NotificationEvent' } as const;
    for (const kind of KINDS) {
      const branch = byKind.get(kind);
      if (branch === undefined) throw new Error(kind);
      for (const row of collectRows(branch, kind, docs.get(typeOf[kind]) ?? new Map())) {
        if (row.description === '' && row.path !== 'kind') missing.push(`${kind}.${row.path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps TSDoc prose that the compiler would read as a tag ("@-mentioned")', () => {
    expect(docs.get('MessageEvent')?.get('context.mentions')).toContain('@-mentioned in a group message');
  });

  it('shows examples that are valid events', () => {
    const text = readFileSync(DOC_PATH, 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? '') as unknown);
    expect(blocks.length).toBe(4);
    for (const block of blocks) expect(() => eventSchema.parse(block)).not.toThrow();
  });
});

describe('the generator', () => {
  it('follows the schema it is given: an added field gets a row, required and optional as declared', () => {
    const base = {
      schemaVersion: z.literal(1),
      id: z.string().min(1),
      provider: z.enum(['cloud', 'onprem', 'wasender']),
      accountId: z.string().nullable(),
      phoneNumberId: z.string().nullable(),
      occurredAt: z.iso.datetime(),
      receivedAt: z.iso.datetime(),
    };
    const schema = z.discriminatedUnion('kind', [
      z.object({ ...base, kind: z.literal('message'), brandNew: z.object({ depth: z.number() }).optional() }),
      z.object({ ...base, kind: z.literal('status') }),
      z.object({ ...base, kind: z.literal('error') }),
      z.object({ ...base, kind: z.literal('notification') }),
    ]);
    const text = renderEventDocs(schema, docs);
    expect(text).toMatch(/\| `brandNew` \| object \| no \|/);
    expect(text).toMatch(/\| `brandNew\.depth` \| number \| yes \|/);
    expect(text).not.toContain('`providerType`');
  });

  it('labels JSON Schema types for readers', () => {
    expect(typeLabel({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeLabel({ type: 'string', format: 'date-time' })).toBe('ISO-8601 UTC string');
    expect(typeLabel({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(typeLabel({ enum: ['a', 'b'] })).toBe('`"a"` | `"b"`');
    expect(typeLabel({ type: 'object' })).toBe('object (any keys)');
    expect(typeLabel({})).toBe('any JSON value');
  });
});
