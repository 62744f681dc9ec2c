import { describe, expect, it } from 'vitest';
import { diagnoseMetaSignature } from '../../src/verify/diagnose-node.js';
import { escapeNonAscii } from '../../src/verify/escape.js';
import { signMetaPayload } from '../../src/verify/meta.js';

const SECRET = 'app-secret';
const COMPACT = '{"object":"whatsapp_business_account","entry":[{"id":"1","text":"olá"}]}';

describe('diagnoseMetaSignature', () => {
  it('spots a configured secret with surrounding whitespace', async () => {
    const sig = signMetaPayload(COMPACT, SECRET);
    expect(await diagnoseMetaSignature(COMPACT, sig, `${SECRET}\n`)).toMatchObject({ code: 'secret_whitespace' });
    expect(await diagnoseMetaSignature(COMPACT, sig, [' other ', ` ${SECRET}`])).toMatchObject({ code: 'secret_whitespace' });
  });

  it('spots a body re-serialized before verification (pretty-printed)', async () => {
    const pretty = JSON.stringify(JSON.parse(COMPACT), null, 2);
    expect(await diagnoseMetaSignature(pretty, signMetaPayload(COMPACT, SECRET), SECRET)).toMatchObject({ code: 'body_reserialized' });
    // Meta's own (escaped) form of the compact body, received re-indented.
    expect(await diagnoseMetaSignature(pretty, signMetaPayload(escapeNonAscii(COMPACT), SECRET), SECRET)).toMatchObject({ code: 'body_reserialized' });
  });

  it('spots a SHA-1-only request', async () => {
    expect(await diagnoseMetaSignature(COMPACT, { sha1: `sha1=${'a'.repeat(40)}` }, SECRET)).toMatchObject({ code: 'sha1_only' });
  });

  it('finds nothing for a forged signature or a wrong secret, and never echoes secrets', async () => {
    expect(await diagnoseMetaSignature(COMPACT, signMetaPayload(COMPACT, 'other'), SECRET)).toBeNull();
    expect(await diagnoseMetaSignature(COMPACT, `sha256=${'0'.repeat(64)}`, SECRET)).toBeNull();
    const hint = await diagnoseMetaSignature(COMPACT, signMetaPayload(COMPACT, SECRET), ` ${SECRET}`);
    expect(hint?.message).not.toContain(SECRET);
  });
});
