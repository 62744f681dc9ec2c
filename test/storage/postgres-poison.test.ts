/**
 * Text PostgreSQL refuses (NUL in `text`/`jsonb`, lone UTF-16 surrogates in JSON) must never fail
 * a batch: a NUL in an error title, in a button title and in biz_opaque_callback_data, and a lone
 * surrogate in a message id, arrive in one batch with valid items; the WHOLE batch commits, the
 * bad values stored as U+FFFD (src/storage/sanitize.ts), through the store directly (its own
 * defence, for steps nobody sanitized) and through a tracker fed a raw Cloud API webhook body.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CanonicalEvent, MessageEvent, NotificationEvent, StatusEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { stateKey } from '../../src/state/key.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { postgresStore, type PostgresStore } from '../../src/storage/postgres/index.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('poison');
let store: PostgresStore;

beforeAll(async () => {
  if (available) store = postgresStore({ connectionString: POSTGRES_URL, max: 4, schema, claimCleanupIntervalMs: 0 });
});
afterAll(async () => {
  if (!available) return;
  await store.close();
  await dropSchema(schema);
});

const R = '\uFFFD';

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: poison values never fail a batch', () => {
  it('an unsanitized step with NUL and lone surrogates commits whole: claims, merges, outbox, interactions', async () => {
    const failed = observation('poison-\uD800-id', 'failed', 1_700_000_000, {
      errors: [{ code: '131026', class: 'permanent', title: 'bad\u0000title' }],
      bizOpaqueCallbackData: 'biz\u0000data',
    });
    const fine = observation('poison-fine', 'delivered', 1_700_000_001);
    const button: MessageEvent = {
      schemaVersion: 1,
      id: 'poison-button',
      kind: 'message',
      provider: 'cloud',
      accountId: 'waba',
      phoneNumberId: null,
      occurredAt: '2023-11-14T22:13:20.000Z',
      receivedAt: '2023-11-14T22:13:20.000Z',
      messageId: 'wamid.IN-poison',
      direction: 'inbound',
      from: '15550001111',
      to: null,
      contact: { waId: '15550001111' } as never,
      type: 'interactive',
      providerType: 'interactive',
      text: null,
      interaction: { kind: 'button_reply', id: 'yes', title: 'Yes\u0000!' } as never,
      context: { messageId: 'poison-fine' } as never,
    };
    const odd: NotificationEvent = { ...(button as unknown as NotificationEvent), id: 'poison-note', kind: 'notification', topic: 'x', data: { 'k\u0000': 'v\uDC00' } };
    const step = stepOf([failed, fine], { others: [button, odd], consumers: ['sink', LISTENERS_CONSUMER] });
    step.interactions = [
      { id: 'poison-button', provider: 'cloud', accountId: 'waba', messageId: 'wamid.IN-poison', repliedTo: 'poison-fine', kind: 'button_reply', replyId: 'yes', title: 'Yes\u0000!', from: '15550001111', at: 1_700_000_002_000 },
    ];
    const result = await store.ingest(step);
    expect(result.claimed).toEqual([true, true, true, true]);
    expect(result.records.length).toBe(8);
    const bad = await store.get(stateKey({ provider: 'cloud', messageId: `poison-${R}-id` }));
    expect(bad?.errors?.['131026']?.title).toBe(`bad${R}title`);
    expect(bad?.bizOpaqueCallbackData).toBe(`biz${R}data`);
    expect(result.merged[0]?.after).toEqual(bad);
    expect(await store.get(fine.key)).toEqual(fine.observation);
    const leased = await store.outbox.lease('sink', 10, 60_000);
    expect(leased.length).toBe(0); // held by the appender
    const titles = await adminQuery(`SELECT title FROM ${store.tables.interactions} WHERE id = 'poison-button'`);
    expect(titles.rows).toEqual([{ title: `Yes${R}!` }]);
    const events = await adminQuery(`SELECT event FROM ${store.tables.outbox} WHERE consumer = 'sink' ORDER BY id`);
    expect(events.rows.map((r) => (r.event as CanonicalEvent).id)).toEqual([failed.event.id.replace('\uD800', R), fine.event.id, 'poison-button', 'poison-note']);
    expect((events.rows[3].event as NotificationEvent).data).toEqual({ [`k${R}`]: `v${R}` });
    // The same step again: every id is a duplicate (the sanitized ids were claimed).
    expect((await store.ingest(step)).claimed).toEqual([false, false, false, false]);
  });

  it('a raw Cloud API body with NUL in an error title, a button title and biz_opaque_callback_data, and a lone surrogate in an id, goes through a tracker', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'X' }, wa_id: '16505551234' }],
                messages: [
                  {
                    context: { from: '15550783881', id: 'wamid.TRK-OK' },
                    from: '16505551234',
                    id: 'wamid.TRK-BUTTON',
                    timestamp: '1750025136',
                    type: 'interactive',
                    interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes\u0000' } },
                  },
                ],
                statuses: [
                  {
                    id: 'wamid.TRK-\uDC00',
                    status: 'failed',
                    timestamp: '1750025130',
                    recipient_id: '16505551234',
                    biz_opaque_callback_data: 'ref\u0000',
                    errors: [{ code: 131026, title: 'Message \u0000undeliverable' }],
                  },
                  { id: 'wamid.TRK-OK', status: 'read', timestamp: '1750025131', recipient_id: '16505551234' },
                ],
              },
            },
          ],
        },
      ],
    });
    const tracker = createTracker({ store, closeStore: false });
    const events = normalize(body).events as CanonicalEvent[];
    const report = await tracker.ingest(events);
    expect(report.accepted).toBe(3);
    expect((await tracker.getState('wamid.TRK-OK'))?.status).toBe('read');
    const failed = (await tracker.getState(`wamid.TRK-${R}`)) as { status: string; errors: Array<{ title?: string }>; bizOpaqueCallbackData: string | null } | null;
    expect(failed?.status).toBe('failed');
    expect(failed?.errors[0]?.title).toBe(`Message ${R}undeliverable`);
    expect(failed?.bizOpaqueCallbackData).toBe(`ref${R}`);
    const titles = await adminQuery(`SELECT title FROM ${store.tables.interactions} WHERE replied_to = 'wamid.TRK-OK'`);
    expect(titles.rows).toEqual([{ title: `Yes${R}` }]);
    await tracker.close();
    const statuses = events.filter((e): e is StatusEvent => e.kind === 'status');
    expect(statuses.length).toBe(2);
  });
});
