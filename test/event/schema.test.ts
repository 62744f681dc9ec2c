import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventSchema } from '../../src/event/schema.js';
import { normalize } from '../../src/normalize.js';

// eventSchema is built with zod/mini (the core entry must not carry zod's full namespace); these
// pin the validation semantics it had as a classic zod schema, and the API a consumer calls.

const errorEvent = {
  schemaVersion: 1,
  id: 'cloud:error:1',
  provider: 'cloud',
  accountId: null,
  phoneNumberId: '106540352242922',
  occurredAt: '2024-05-01T10:00:00.000Z',
  receivedAt: '2024-05-01T10:00:01Z',
  kind: 'error',
  errors: [{ code: '131056', class: 'retryable' }],
} as const;

const statusBody = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
            statuses: [{ id: 'wamid.X', status: 'read', timestamp: '1714557600', recipient_id: '15551234567' }],
          },
        },
      ],
    },
  ],
};

function issues(value: unknown): { code: string; path: PropertyKey[] }[] {
  const result = eventSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map(({ code, path }) => ({ code, path }));
}

describe('eventSchema', () => {
  it('accepts what normalize() emits and returns it unchanged', () => {
    const { events } = normalize(statusBody);
    expect(events.length).toBe(1);
    for (const event of events) expect(eventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('rejects an empty id, a timestamp with an offset and an unknown enum value, naming each path', () => {
    expect(issues({ ...errorEvent, id: '' })).toEqual([{ code: 'too_small', path: ['id'] }]);
    expect(issues({ ...errorEvent, occurredAt: '2024-05-01T12:00:00+02:00' })).toEqual([{ code: 'invalid_format', path: ['occurredAt'] }]);
    expect(issues({ ...errorEvent, occurredAt: 'yesterday' })).toEqual([{ code: 'invalid_format', path: ['occurredAt'] }]);
    expect(issues({ ...errorEvent, errors: [{ code: 'x', class: 'fatal' }] })).toEqual([{ code: 'invalid_value', path: ['errors', 0, 'class'] }]);
    expect(issues({ ...errorEvent, provider: 'telegram' })).toEqual([{ code: 'invalid_value', path: ['provider'] }]);
  });

  it('rejects another schema version, an unknown kind and a wrong flag value', () => {
    expect(issues({ ...errorEvent, schemaVersion: 2 })).toEqual([{ code: 'invalid_value', path: ['schemaVersion'] }]);
    expect(issues({ ...errorEvent, kind: 'receipt' })).toEqual([{ code: 'invalid_union', path: ['kind'] }]);
    expect(issues({ ...errorEvent, occurredAtEstimated: false })).toEqual([{ code: 'invalid_value', path: ['occurredAtEstimated'] }]);
    expect(issues({ ...errorEvent, accountId: undefined })).toEqual([{ code: 'invalid_type', path: ['accountId'] }]);
    expect(issues('{}')).not.toEqual([]);
  });

  it('accepts keys it does not know (events of a newer bluetick) and drops them from the result', () => {
    const parsed = eventSchema.parse({ ...errorEvent, fromTheFuture: true, errors: [{ code: 'x', class: 'unknown', extra: 1 }] });
    expect(parsed).toEqual({ ...errorEvent, errors: [{ code: 'x', class: 'unknown' }] });
  });

  it('has parse, safeParse and their async forms; parse throws a zod error with the issues', async () => {
    expect(() => eventSchema.parse({ ...errorEvent, id: '' })).toThrow(z.core.$ZodError);
    await expect(eventSchema.parseAsync(errorEvent)).resolves.toEqual(errorEvent);
    expect((await eventSchema.safeParseAsync({ ...errorEvent, id: '' })).success).toBe(false);
    try {
      eventSchema.parse({ ...errorEvent, id: '' });
    } catch (error) {
      expect(z.prettifyError(error as z.core.$ZodError)).toContain('→ at id');
    }
  });

  it('composes with classic zod (z.array) and infers CanonicalEvent', () => {
    const batch = z.array(eventSchema);
    expect(batch.parse([errorEvent])).toEqual([errorEvent]);
    const inferred: z.infer<typeof eventSchema>['kind'] = 'status';
    expect(inferred).toBe('status');
  });
});

describe('the core graph', () => {
  it("imports zod only as zod/mini (zod's full namespace would triple what a Worker bundles)", () => {
    const src = new URL('../../src/', import.meta.url);
    const classic = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from ['"]zod(?:\/v4)?['"]/.test(readFileSync(new URL(file, src), 'utf8')));
    expect(classic).toEqual([]);
  });
});
