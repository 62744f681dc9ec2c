/**
 * The load of the HTTP benchmarks (bench/receiver.ts, bench/http.ts): Cloud statuses webhooks with
 * message ids never sent before (no dedupe shortcut), each signed with {@link BENCH_SECRET}, which
 * every bench server verifies with.
 */
import { createHmac } from 'node:crypto';

/** The app secret every bench server and its load share. */
export const BENCH_SECRET = 'bench-app-secret';

// Ids unique to this process and run: runs against a persistent store never meet old ids.
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let seq = 0;

/** A fresh Cloud statuses webhook of `n` statuses (new message ids), signed. */
export function freshStatusesRequest(n: number): { body: string; headers: Record<string, string> } {
  const statuses = [];
  for (let i = 0; i < n; i++) {
    const id = ++seq;
    statuses.push({ id: `wamid.bench${run}${id}`, status: 'delivered', timestamp: String(1750030073 + (id % 1000)), recipient_id: `1650555${String(id % 10_000).padStart(4, '0')}`, pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } });
  }
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses } }] }] });
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', BENCH_SECRET).update(body).digest('hex')}` } };
}
