/**
 * What the depth bound on free-form values (src/event/bounded-json.ts, issue 12) costs on the hot
 * path: the pass normalize() runs over every event, beside a whole normalize(string) of the same
 * payload, in the same run. A share, not a rate: it stays readable on a loaded machine, where
 * bench/normalize.ts's ratios to JSON.parse swing by ±15 %. Target: under 2 % of normalize.
 *
 *   node --import tsx bench/normalize-depth-bound.ts
 */
import { boundEventDepth } from '../src/event/bounded-json.js';
import { normalize } from '../src/normalize.js';
import { compare } from './harness.js';
import { payloads } from './payloads.js';

const receivedAt = '2026-01-01T00:00:00.000Z';
let allOk = true;
for (const [label, body] of Object.entries(payloads)) {
  const { events } = normalize(body, { receivedAt });
  const [whole, pass] = compare([
    { name: 'normalize(string)', fn: () => normalize(body, { receivedAt }) },
    {
      name: 'depth-bound pass',
      fn: () => {
        for (let i = 0; i < events.length; i++) boundEventDepth(events[i]!, false);
        return events;
      },
    },
  ]);
  const share = (100 * (whole?.opsPerSec ?? 0)) / (pass?.opsPerSec ?? 1);
  const ok = share < 2;
  allOk &&= ok;
  console.log(
    `${label.padEnd(30)} normalize ${(1e6 / (whole?.opsPerSec ?? 1)).toFixed(2)} µs, depth-bound pass ${(1e6 / (pass?.opsPerSec ?? 1)).toFixed(3)} µs = ${share.toFixed(2)} % ${ok ? '✓' : '✗'} target < 2 %`,
  );
}
console.log(allOk ? '\nnormalize-depth-bound: all targets met' : '\nnormalize-depth-bound: some targets missed');
