/**
 * What a stranger's request costs: a 4 MiB webhook with a WRONG signature, beside the same body
 * with a valid one, through the real request path (`createWebhookHandler`: size check, provider
 * selection, verification, then JSON.parse + normalize for the valid one). Target: wrong ≤ 2×
 * valid, for an ASCII body and for a non-ASCII one (where a wrong signature also pays for the
 * `\uXXXX`-escaped retry). Each request is timed on its own, the candidates interleaved (A, B, A,
 * B, …) over several rounds, medians compared; about 20 s.
 *
 *   node --import tsx bench/signature-cost.ts
 */
import { createWebhookHandler } from '../src/http/handler.js';
import type { WebhookRequest } from '../src/http/types.js';
import { signMetaPayload } from '../src/verify/meta.js';
import { median } from './harness.js';

const SECRET = 'bench-app-secret';
const TARGET_BYTES = 4 * 1024 * 1024 - 64 * 1024; // under the default 4 MiB maxBodyBytes

/** A Cloud webhook of inbound texts (each near WhatsApp's 4096-character limit) filling ~4 MiB. */
function body(char: string): Buffer {
  const text = char.repeat(4000);
  const messages: unknown[] = [];
  const envelope = (list: unknown[]) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, messages: list } }] }],
    });
  const one = (i: number) => ({ from: '16505551234', id: `wamid.BENCH${String(i).padStart(8, '0')}`, timestamp: String(1749416383 + i), type: 'text', text: { body: text } });
  const per = Buffer.byteLength(JSON.stringify(one(0))) + 1;
  while (Buffer.byteLength(envelope(messages)) + per < TARGET_BYTES) messages.push(one(messages.length));
  return Buffer.from(envelope(messages));
}

const handle = createWebhookHandler({ cloud: { appSecret: SECRET }, discardEvents: true, logger: { warn: () => undefined, error: console.error } });
const request = (raw: Buffer, signature: string): WebhookRequest => ({ method: 'POST', url: '/webhook', headers: { 'x-hub-signature-256': signature }, rawBody: raw });

async function timeOne(req: WebhookRequest, expected: number): Promise<number> {
  const t0 = performance.now();
  const response = await handle(req);
  const ms = performance.now() - t0;
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${response.body.slice(0, 200)}`);
  return ms;
}


console.log(`Node ${process.version}; ms per request through createWebhookHandler, median of interleaved runs\n`);
let ok = true;
for (const [label, char] of [['ASCII', 'u'], ['non-ASCII', 'ü']] as const) {
  const raw = body(char);
  const valid = request(raw, signMetaPayload(raw, SECRET));
  const wrong = request(raw, signMetaPayload(raw, 'attacker-guess'));
  for (let i = 0; i < 3; i++) {
    await timeOne(valid, 200); // warm-up
    await timeOne(wrong, 401);
  }
  const samples = { valid: [] as number[], wrong: [] as number[] };
  for (let round = 0; round < 21; round++) {
    samples.valid.push(await timeOne(valid, 200));
    samples.wrong.push(await timeOne(wrong, 401));
  }
  const v = median(samples.valid);
  const w = median(samples.wrong);
  const ratio = w / v;
  if (ratio > 2) ok = false;
  console.log(
    `${label.padEnd(10)} ${(raw.length / 1024 / 1024).toFixed(2)} MiB  valid ${v.toFixed(1).padStart(7)} ms   wrong signature ${w.toFixed(1).padStart(7)} ms   wrong/valid ×${ratio.toFixed(2)}  ${ratio <= 2 ? '✓' : '✗'} target ≤ 2`,
  );
}
process.exitCode = ok ? 0 : 1;
