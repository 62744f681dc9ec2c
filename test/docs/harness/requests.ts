/**
 * What the harness sends to every entry point of a sample, and what it expects back: Meta's GET
 * handshake, a signed statuses webhook, a signed button-reply webhook, and an unsigned copy.
 */
import { escapeNonAscii, signMetaPayload } from '../../../src/index.js';
import { ownFixture } from '../../helpers/fixtures.js';

/** The fake environment every sample runs with (no real secret is ever needed). */
export const SAMPLE_ENV: Record<string, string> = {
  META_APP_SECRET: 'sample-app-secret',
  META_VERIFY_TOKEN: 'sample-verify-token',
  APP_SECRET: 'sample-app-secret',
  VERIFY_TOKEN: 'sample-verify-token',
  WASENDER_WEBHOOK_SECRET: 'sample-wasender-secret',
  WASENDER_API_KEY: 'sample-wasender-api-key',
  ONPREM_TOKEN: 'sample-onprem-token',
  WHATSAPP_TOKEN: 'sample-graph-api-token',
  WABA_ID: '102290129340398',
  // Standard Webhooks secrets (whsec_ + base64 of 32 bytes), as httpSink requires.
  EVENTS_SECRET: 'whsec_Ymx1ZXRpY2stc2FtcGxlLXNpbmstc2VjcmV0LTAxMjM=',
  SINK_SECRET: 'whsec_Ymx1ZXRpY2stc2FtcGxlLXNpbmstc2VjcmV0LTAxMjM=',
  OLD_SINK_SECRET: 'whsec_Ymx1ZXRpY2stc2FtcGxlLXNpbmstc2VjcmV0LTAxMjM=',
  PII_HMAC_KEY: 'sample-pii-key',
  PORT: '0',
};

export const SAMPLE_BODIES = {
  statuses: ownFixture('cloud/statuses.json'),
  buttonReply: ownFixture('cloud/messages-interactive.json'),
};

/** One request in transport-neutral form. */
export interface SampleRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One exchange and whether it went as expected. */
export interface Exchange {
  what: string;
  status: number;
  expected: number;
  ok: boolean;
  detail: string;
}

export type Transport = (request: SampleRequest) => Promise<{ status: number; body: string }>;

const CHALLENGE = '1158201444';

function signed(body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(escapeNonAscii(body), SAMPLE_ENV.META_APP_SECRET as string) };
}

/** Sends the four requests through `transport` and reports each. */
export async function exercise(transport: Transport, webhookPath: string): Promise<Exchange[]> {
  const steps: Array<{ what: string; request: SampleRequest; expected: number; check?: (body: string) => boolean }> = [
    {
      what: 'GET handshake',
      request: { method: 'GET', path: `${webhookPath}?hub.mode=subscribe&hub.verify_token=${SAMPLE_ENV.META_VERIFY_TOKEN}&hub.challenge=${CHALLENGE}`, headers: {} },
      expected: 200,
      check: (body) => body === CHALLENGE,
    },
    { what: 'signed statuses', request: { method: 'POST', path: webhookPath, headers: signed(SAMPLE_BODIES.statuses), body: SAMPLE_BODIES.statuses }, expected: 200, check: (b) => /"ok":true/.test(b) },
    { what: 'signed button reply', request: { method: 'POST', path: webhookPath, headers: signed(SAMPLE_BODIES.buttonReply), body: SAMPLE_BODIES.buttonReply }, expected: 200, check: (b) => /"ok":true/.test(b) },
    { what: 'unsigned POST', request: { method: 'POST', path: webhookPath, headers: { 'content-type': 'application/json' }, body: SAMPLE_BODIES.statuses }, expected: 401 },
  ];
  const out: Exchange[] = [];
  for (const step of steps) {
    try {
      const { status, body } = await transport(step.request);
      out.push({ what: step.what, status, expected: step.expected, ok: status === step.expected && (step.check?.(body) ?? true), detail: body.slice(0, 300) });
    } catch (error) {
      out.push({ what: step.what, status: 0, expected: step.expected, ok: false, detail: String(error) });
    }
  }
  return out;
}
