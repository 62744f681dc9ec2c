/**
 * normalize(string) throughput beside JSON.parse of the same string, in the same run.
 * Target (issue "Foundation"): at least 0.75 of JSON.parse on all three payloads.
 *
 *   node --import tsx bench/normalize.ts
 */
import { normalize } from '../src/normalize.js';
import { compare, report } from './harness.js';
import { payloads } from './payloads.js';

const receivedAt = '2026-01-01T00:00:00.000Z';
let allOk = true;
for (const [label, body] of Object.entries(payloads)) {
  const events = normalize(body, { receivedAt }).events.length;
  const results = compare([
    { name: 'JSON.parse', fn: () => JSON.parse(body) },
    { name: 'normalize(string)', fn: () => normalize(body, { receivedAt }) },
  ]);
  allOk = report(`normalize: ${label} (${body.length} bytes, ${events} events)`, results, 'JSON.parse', { name: 'normalize(string)', min: 0.75 }) && allOk;
}
console.log(allOk ? '\nnormalize: all targets met' : '\nnormalize: some targets missed');
