/**
 * The hand-rolled fast paths of the hot path, each beside the plain code it replaces, measured in
 * the same run (issue "The delivery core, redesigned", item 9: a fast path stays only if a
 * benchmark shows it matters). For each one: nanoseconds per call, plain and fast, and what the
 * saving is worth as a share of the work it sits in (normalize() per item, or present() per state).
 * The comment above each fast path in src/ quotes this file's figure.
 *
 *   node --import tsx bench/hot-paths.ts
 */
import { createHmac } from 'node:crypto';
import { idPart } from '../src/event/ids.js';
import { formatIso, isoOr, msToIso } from '../src/event/timestamp.js';
import { normalize } from '../src/normalize.js';
import { idHead } from '../src/providers/event-ids.js';
import { present } from '../src/state/present.js';
import { observe } from '../src/state/observe.js';
import type { StatusEvent } from '../src/event/types.js';
import { verifyMetaSignature, signMetaPayload } from '../src/verify/meta.js';
import { nodeMac } from '../src/verify/node-mac.js';
import { sanitizeText, sanitizeValue } from '../src/storage/sanitize.js';
import { compare } from './harness.js';
import { payloads } from './payloads.js';

const nsPer = (opsPerSec: number) => 1e9 / opsPerSec;

/** ns per call of `fn`, median of interleaved rounds (measured with its rival). */
function pair(plain: () => unknown, fast: () => unknown): { plain: number; fast: number } {
  const [a, b] = compare([
    { name: 'plain', fn: plain },
    { name: 'fast', fn: fast },
  ]);
  return { plain: nsPer(a?.opsPerSec ?? 1), fast: nsPer(b?.opsPerSec ?? 1) };
}

/** ns per item of normalize() on a payload (the work a per-item saving sits in). */
function perItem(body: string): number {
  const items = normalize(body).events.length;
  const [m] = compare([{ name: 'normalize', fn: () => normalize(body) }]);
  return nsPer(m?.opsPerSec ?? 1) / items;
}

/**
 * Prints one fast path. `within` is the measured cost of the work it sits in, fast path included;
 * the share is of what that work would cost with the plain code (within + saved).
 */
function row(name: string, r: { plain: number; fast: number }, within: number, what: string, perUnit = 1): void {
  const saved = (r.plain - r.fast) * perUnit;
  console.log(
    `${name.padEnd(50)} plain ${r.plain.toFixed(0).padStart(5)} ns  fast ${r.fast.toFixed(0).padStart(5)} ns  ` +
      `saves ${((saved / (within + saved)) * 100).toFixed(1).padStart(5)}% of ${what}`,
  );
}

console.log(`Node ${process.version}; plain vs fast, median of interleaved rounds\n`);

// 1. formatIso: every status and message formats its provider timestamp (normalize, per item).
const cloudStatusItem = perItem(payloads['cloud status with pricing']);
const cloud50Item = perItem(payloads['cloud 50 statuses']);
let ms = 1_750_030_073_000;
const times = pair(
  () => new Date((ms += 1000)).toISOString(),
  () => formatIso((ms += 1000)),
);
row('formatIso vs Date#toISOString', times, cloud50Item, 'normalize per item of 50 statuses');

// 2. msToIso in present(): up to 8 times per presented state.
const status = normalize(payloads['cloud status with pricing']).events[0] as StatusEvent;
const state = observe(status, status.messageId);
const [presented] = compare([{ name: 'present', fn: () => present(state) }]);
const presentNs = nsPer(presented?.opsPerSec ?? 1);
let t = 1_750_030_073_000;
const msIso = pair(
  () => new Date((t += 7)).toISOString(),
  () => msToIso((t += 7)),
);
// A delivered state shows three times (pending and sent implied at the delivered time).
row('msToIso vs Date#toISOString (×3 per state)', msIso, presentNs, 'present() of a delivered state', 3);

// 3. idHead: once per WASender webhook (its session scopes every id). It had a last-head cache,
//    removed for this figure: here the cache (as it was) is the "fast" side.
const session = 'b4f5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c7d';
const wasenderItem = perItem(payloads['wasender messages.upsert']);
let lastScope: string | undefined;
let lastHead = '';
const heads = pair(
  () => idHead('wasender', 'status', session),
  () => (session === lastScope ? lastHead : ((lastScope = session), (lastHead = 'wasender:status:' + idPart(session) + ':'))),
);
row('idHead: a last-head cache (removed)', heads, wasenderItem, 'normalize of one WASender upsert');

// 4. The conversation expiry: one per Cloud status with a conversation; a batch shares one. It
//    had a last-expiry cache, removed for this figure: the cache is the "fast" side.
const expiry = '1750116473';
let lastExpiry: unknown;
let lastExpiryIso = '';
const expiries = pair(
  () => isoOr(expiry, ''),
  () => (expiry === lastExpiry ? lastExpiryIso : ((lastExpiry = expiry), (lastExpiryIso = isoOr(expiry, '')))),
);
row('conversation expiry: a last-value cache (removed)', expiries, cloudStatusItem, 'normalize of one status');

// 5. receivedAt: one per normalize() call without a receivedAt option (the webhook handler's case).
let lastNow = -1;
let lastIso = '';
const nows = pair(
  () => new Date(Date.now()).toISOString(),
  () => {
    // As src/normalize.ts does: compare the clock with the last conversion.
    const now = Date.now();
    return now === lastNow ? lastIso : ((lastNow = now), (lastIso = new Date(now).toISOString()));
  },
);
row('receivedAt of now: last-value cache vs per call', nows, cloudStatusItem, 'normalize of one status');

// 6. The KeyObject cache of the Node verifier (src/verify/node-mac.ts): one HMAC per request over
//    a ~600-byte webhook, with the secret re-encoded per call as the plain side.
const secret = 'bench-app-secret';
const body = Buffer.from(payloads['cloud status with pricing']);
const signature = signMetaPayload(body, secret);
const [verified] = compare([{ name: 'verify', fn: () => verifyMetaSignature(body, signature, secret) }]);
const macs = pair(
  () => createHmac('sha256', secret).update(body).digest(),
  () => nodeMac.hmac('sha256', secret, body),
);
row('HMAC key: cached KeyObject vs secret per call', macs, nsPer(verified?.opsPerSec ?? 1), 'verifyMetaSignature of one status');

// 7. sanitizeText: every string (and key) of every directly ingested event is checked for NUL and
// lone surrogates (src/storage/sanitize.ts). Plain: one regular expression test per string.
// The strings of one status event, checked one after another; the work it sits in: sanitizeValue
// of that event.
const SUSPECT = /[\u0000\uD800-\uDFFF]/; // eslint-disable-line no-control-regex -- the plain check
const strings: string[] = [];
for (const [k, v] of Object.entries(status)) {
  strings.push(k);
  if (typeof v === 'string') strings.push(v);
}
const [walked] = compare([{ name: 'sanitizeValue', fn: () => sanitizeValue(status) }]);
const checks = pair(
  () => {
    let n = 0;
    for (const s of strings) if (SUSPECT.test(s)) n++;
    return n;
  },
  () => {
    let n = 0;
    for (const s of strings) if (sanitizeText(s) !== s) n++;
    return n;
  },
);
row(`sanitizeText: indexOf + isWellFormed vs regex (×${strings.length} strings)`, checks, nsPer(walked?.opsPerSec ?? 1), 'sanitizeValue of one status event');
