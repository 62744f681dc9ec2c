import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { redactedSink } from '../../src/privacy/redacted-sink.js';
import { callbackSink } from '../../src/sinks/callback.js';
import { createTracker } from '../../src/tracking/tracker.js';

const body = {
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
            contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
            messages: [{ from: '16505551234', id: 'wamid.in1', timestamp: '1749416383', type: 'text', text: { body: 'Hi' } }],
            statuses: [
              { id: 'wamid.out1', status: 'delivered', timestamp: '1750030073', recipient_id: '16505551234' },
              { id: 'wamid.out1', status: 'read', timestamp: '1750030080', recipient_id: '16505551234' },
            ],
          },
        },
      ],
    },
  ],
};

describe('tracker sinks', () => {
  it('forwards every accepted event once to each sink, and close() flushes them', async () => {
    const got: CanonicalEvent[] = [];
    const tracker = createTracker({ sinks: [callbackSink((batch) => void got.push(...batch))], dispatch: { flushIntervalMs: 10_000 } });
    const result = normalize(JSON.stringify(body));
    await tracker.ingest(result);
    await tracker.ingest(result); // a provider retry: duplicates are not forwarded again
    await tracker.close(); // flushes although the batch interval has not elapsed
    expect(got.map((e) => e.id).sort()).toEqual(result.events.map((e) => e.id).sort());
    expect(tracker.dispatcher?.stats().totals.delivered).toBe(3);
  });

  it('applies a per-sink redaction policy: no raw phone number reaches a masked sink', async () => {
    const masked: CanonicalEvent[] = [];
    const whole: CanonicalEvent[] = [];
    const tracker = createTracker({
      sinks: [
        redactedSink(callbackSink((batch) => void masked.push(...batch)), { phone: 'mask', names: 'drop' }),
        callbackSink((batch) => void whole.push(...batch)),
      ],
    });
    await tracker.ingest(normalize(JSON.stringify(body), { keepRaw: true }));
    await tracker.close();
    expect(masked).toHaveLength(3);
    expect(JSON.stringify(masked)).not.toMatch(/16505551234|Sheena/);
    expect(JSON.stringify(whole)).toMatch(/16505551234/);
  });
});
