import { describeIf } from '../helpers/services.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalize } from '../../src/normalize.js';
import { redactedSink } from '../../src/privacy/redacted-sink.js';
import { httpSink } from '../../src/sinks/http.js';
import { ndjsonSink } from '../../src/sinks/ndjson.js';
import type { Sink } from '../../src/sinks/types.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { hasSharedFixtures, sharedFixtures } from '../helpers/fixtures.js';

const PERSON = /"(?:from|wa_id|recipient_id|recipient_participant_id|cleanedSenderPn|cleanedParticipantPn|senderPn|remoteJid|participant)"\s*:\s*"\+?(\d{8,15})/g;
// The business's own identifiers stay (hosts join on them); sample payloads often reuse one
// placeholder number for a user and the business, so those are not counted as personal.
const BUSINESS = /"(?:id|phone_number_id|display_phone_number|sessionId)"\s*:\s*"\+?(\d{8,15})"/g;

/** Every personal phone-like run of 8+ digits the shared fixtures carry in number fields. */
function phoneNumbersIn(text: string): Set<string> {
  const business = [...text.matchAll(BUSINESS)].map((m) => m[1] as string);
  const out = new Set<string>();
  for (const m of text.matchAll(PERSON)) {
    const n = m[1] as string;
    if (!business.some((b) => b.includes(n) || n.includes(b))) out.add(n);
  }
  return out;
}

describeIf(hasSharedFixtures, 'the shared fixtures folder ../shared/fixtures is absent (CI always has it)', 'redaction in real sinks: no raw phone number leaves through a masked sink', () => {
  let received = '';
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    req.on('end', () => res.writeHead(200).end());
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('masks every number of every shared fixture in the ndjson file and the http sink body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluetick-redact-'));
    const file = join(dir, 'events.ndjson');
    const policy = { phone: 'mask', names: 'drop' } as const;
    const sinks: Sink[] = [redactedSink(ndjsonSink({ path: file }), policy), redactedSink(httpSink({ url }), policy)];
    const tracker = createTracker({ sinks });
    let checked = 0;
    let accepted = 0;
    const leaked: string[] = [];
    let fileAt = 0;
    let httpAt = 0;
    for (const fixture of sharedFixtures()) {
      try {
        accepted += (await tracker.ingest(normalize(fixture.text, { keepRaw: true }))).accepted;
      } catch {
        continue; // bodies that are not webhooks (invalid by design) carry nothing to forward
      }
      await tracker.dispatcher?.flush();
      // What this fixture's events wrote, in each sink, must hold none of its people's numbers.
      const fileText = readFileSync(file, 'utf8');
      const written = fileText.slice(fileAt) + received.slice(httpAt);
      fileAt = fileText.length;
      httpAt = received.length;
      for (const n of phoneNumbersIn(fixture.text)) {
        checked++;
        if (written.includes(n)) leaked.push(`${fixture.name}: ${n}`);
      }
    }
    await tracker.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(accepted);
    expect(received.length).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(100);
    expect(leaked).toEqual([]);
  });
});
