/**
 * The JS half of the ingest step: builds the one script call of a step (KEYS and ARGV in the
 * layout lua/ingest.ts documents) and turns its reply into the step's result. Every string sent
 * is sanitized first (codec.ts), so a NUL or a lone surrogate never fails a step.
 */
import type { Redis } from 'ioredis';
import type { CanonicalEvent } from '../../event/types.js';
import { hasFailure } from '../../state/present.js';
import { atOfRank, RANK, type DeliveryState } from '../../state/state.js';
import { LISTENERS_CONSUMER } from '../outbox.js';
import { sanitizeText } from '../sanitize.js';
import type { IngestResult, IngestStep, MergeResult } from '../state-store.js';
import { stepRecords } from '../step.js';
import { decodeState, encodeJson, encodeState } from './codec.js';
import { STALE_RANKS, type KeyLayout } from './keys.js';
import { recordId } from './lua/common.js';
import { INGEST_LUA } from './lua/ingest.js';
import { luaScript, runScript } from './script.js';

export const INGEST_SCRIPT = luaScript('ingest', INGEST_LUA);

/** Settings the step needs from the store. */
export interface IngestContext {
  keys: KeyLayout;
  stateTtlMs: number;
  outboxTtlMs: number;
}

/** The rank a state is kept at in the stale index (0: not indexed), as the script computes it. */
export function staleRankOf(s: DeliveryState): number {
  return s.rank >= RANK.pending && s.rank <= RANK.read && !hasFailure(s) ? s.rank : 0;
}

/** Runs one step: one EVALSHA. */
export async function ingestStep(client: Redis, ctx: IngestContext, step: IngestStep): Promise<IngestResult> {
  const { keys } = ctx;
  const consumers = step.outbox.consumers;
  const nC = consumers.length;
  const events: CanonicalEvent[] = [];
  const eventJson: string[] = [];
  const claimKeys: string[] = [];
  for (const e of step.events) {
    claimKeys.push(keys.claim(sanitizeText(e.id)));
    if (nC === 0) events.push(e);
    else {
      const { json, value } = encodeJson(e);
      events.push(value);
      eventJson.push(json);
    }
  }
  const mergeKeys: string[] = [];
  const mergeArgs: string[] = [];
  const aliasKeys: string[] = [];
  const observations: DeliveryState[] = [];
  const eventMerge = new Map<number, number>();
  step.merges.forEach((m, j) => {
    const { json, value } = encodeState(m.observation);
    observations.push(value);
    const k = keys.state(value);
    mergeKeys.push(k.hash);
    const alias = value.meta?.wasenderMsgId;
    const aliased = alias !== undefined && alias !== '' && alias !== value.messageId;
    if (aliased) aliasKeys.push(keys.alias(value.provider, alias));
    const rank = staleRankOf(value);
    mergeArgs.push(json, k.field, k.key, aliased ? value.messageId : '', String(rank), String(rank === 0 ? 0 : atOfRank(value, rank)));
    if (m.event >= 0) eventMerge.set(m.event, j + 1);
  });
  const outboxKeys: string[] = [];
  for (const c of consumers) {
    const o = keys.outbox(c);
    outboxKeys.push(o.queue, o.payloads);
  }
  const staleKeys = STALE_RANKS.map((r) => keys.stale(r));
  const eventArgs: string[] = [];
  if (nC > 0) eventJson.forEach((json, i) => eventArgs.push(json, String(eventMerge.get(i) ?? 0)));
  const header = [step.events.length, step.merges.length, nC, Math.max(1, Math.ceil(step.claimTtlMs)), Math.ceil(ctx.stateTtlMs), Math.max(0, Math.ceil(step.outbox.leaseMs)), Math.ceil(ctx.outboxTtlMs), consumers.indexOf(LISTENERS_CONSUMER) + 1];
  const reply = (await runScript(
    client,
    INGEST_SCRIPT,
    [...claimKeys, ...mergeKeys, ...staleKeys, keys.sequence, keys.consumers, ...outboxKeys, ...aliasKeys],
    [...header.map(String), ...consumers, ...eventArgs, ...mergeArgs],
  )) as Array<string | number>;

  const appendedAt = Number(reply[0]);
  const flags = String(reply[1]);
  const claimed = step.events.map((_, i) => flags[i] === '1');
  const merged: MergeResult[] = observations.map((obs, j) => {
    const b = reply[3 + 2 * j] as string;
    const a = reply[4 + 2 * j] as string;
    if (b === '') return { before: null, after: obs };
    const before = decodeState(b);
    return { before, after: a === '' ? before : decodeState(a) };
  });
  // One entry per consumer from sequence `first` on, `<seq>/<k>`, whose record i is
  // `<seq>/<k>:<i>` (lua/outbox.ts); stepRecords asks for ids in event order, then consumer order.
  const first = Number(reply[2]);
  const k = claimed.reduce((n, c) => (c ? n + 1 : n), 0);
  const entries = consumers.map((_, c) => `${recordId(first + c)}/${k}`);
  let j = 0;
  const nextId = () => `${entries[j % nC] as string}:${Math.floor(j++ / nC)}`;
  const records = stepRecords({ ...step, events }, claimed, merged, nextId, appendedAt);
  return { claimed, merged, records };
}
