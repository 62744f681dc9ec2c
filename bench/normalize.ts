/**
 * normalize(string) throughput beside JSON.parse of the same string, in the same run, for every
 * provider. Target (issue "Foundation"): at least 0.75 of JSON.parse on the three Cloud payloads;
 * the On-Premises and WASender payloads are held to the same bar. About 25 s in all.
 *
 *   node --import tsx bench/normalize.ts            (a label filter: ... bench/normalize.ts wasender)
 */
import { normalize } from '../src/normalize.js';
import { compare, report } from './harness.js';
import { payloads } from './payloads.js';

const receivedAt = '2026-01-01T00:00:00.000Z';
const filter = process.argv.slice(2);
let allOk = true;
for (const [label, body] of Object.entries(payloads)) {
  if (filter.length > 0 && !filter.some((word) => label.includes(word))) continue;
  const { provider, events } = normalize(body, { receivedAt });
  // A payload that stopped mapping (a notification instead of items) would make the numbers lie.
  if (events.some((e) => e.kind === 'notification')) throw new Error(`${label}: normalized to a notification`);
  const results = compare([
    { name: 'JSON.parse', fn: () => JSON.parse(body) },
    { name: 'normalize(string)', fn: () => normalize(body, { receivedAt }) },
  ]);
  const title = `normalize: ${label} (${provider}, ${body.length} bytes, ${events.length} events)`;
  allOk = report(title, results, 'JSON.parse', { name: 'normalize(string)', min: 0.75 }) && allOk;
}
console.log(allOk ? '\nnormalize: all targets met' : '\nnormalize: some targets missed');
