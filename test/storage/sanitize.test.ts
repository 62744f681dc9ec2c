import { describe, expect, it } from 'vitest';
import { createTracker, createWebhookHandler, signMetaPayload } from '../../src/index.js';
import { isStorableJsonText, sanitizeText, sanitizeValue } from '../../src/storage/sanitize.js';

describe('sanitize', () => {
  it('replaces NUL and lone surrogates by U+FFFD, keeps valid pairs, and allocates nothing when clean', () => {
    expect(sanitizeText('a\u0000b')).toBe('a\uFFFDb');
    expect(sanitizeText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(sanitizeText('😀 漢字')).toBe('😀 漢字');
    const clean = { a: ['b', { c: 'd' }] };
    expect(sanitizeValue(clean)).toBe(clean);
    const dirty = JSON.parse('{"k":[1,{"t":"a\\u0000"}],"__proto__":{"x":"\\ud800"}}') as Record<string, unknown>;
    const out = sanitizeValue(dirty) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse('{"k":[1,{"t":"a\\ufffd"}],"__proto__":{"x":"\\ufffd"}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype); // "__proto__" stayed a key
  });

  it('isStorableJsonText: only texts that cannot parse into NUL or a lone surrogate pass', () => {
    expect(isStorableJsonText('{"a":"plain","e":"\\ud83d\\ude00","r":"😀"}')).toBe(true);
    for (const bad of ['{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"a":"\\udc00x"}', '{"a":"\\ud83dx\\ude00"}', `{"a":"raw\u0000"}`, `{"a":"lone\uD800"}`]) {
      expect(isStorableJsonText(bad)).toBe(false);
    }
  });

  it('the webhook path sanitizes a poisoned body and skips the walk for a clean one, with the same result', async () => {
    const titles: string[] = [];
    const tracker = createTracker();
    tracker.on('transition', (t) => void titles.push(...t.after.errors.map((e) => e.title ?? '')));
    const handle = createWebhookHandler({ cloud: { appSecret: 's3cret' }, tracker });
    const body = (id: string, title: string) =>
      `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"statuses":[{"id":"${id}","status":"failed","timestamp":"1700000000","recipient_id":"1555","errors":[{"code":131026,"title":"${title}"}]}]}}]}]}`;
    for (const raw of [body('wamid.poison', 'bad\\u0000byte \\ud800'), body('wamid.clean', 'fine \\ud83d\\ude00')]) {
      const res = await handle({ method: 'POST', url: '/', headers: { 'x-hub-signature-256': signMetaPayload(raw, 's3cret') }, rawBody: Buffer.from(raw) });
      expect(res.status).toBe(200);
    }
    expect(titles).toEqual(['bad\uFFFDbyte \uFFFD', 'fine 😀']);
    await tracker.close();
  });
});
