/**
 * WASenderApi's status source: the documented `GET /api/messages/{msgId}/info`, authenticated
 * with the API key as a Bearer token, answering `{ success, data: { key: { id }, msgId, status,
 * messageTimestamp, … } }` where `status` is the Baileys ack level (0 ERROR, 1 PENDING, 2 SENT,
 * 3 DELIVERED, 4 READ, 5 PLAYED). `msgId` is the numeric id of WASender's send response, which
 * `tracker.track({ wasenderMsgId })` keeps in the state's `meta`.
 *
 * The answer carries no time for its status (`messageTimestamp` is when the message was sent),
 * so polled statuses are merged with the poll time marked as an estimate.
 */
import pRetry from 'p-retry';
import { ConfigError } from '../errors.js';
import { ackStatus } from '../providers/wasender/ack.js';
import { stateKey } from '../state/key.js';
import type { DeliveryState } from '../state/state.js';
import { ReconcileError } from './errors.js';
import { getJson, retryAfterMs, TransientError, type HttpAnswer } from './http.js';
import type { CheckContext, Observation, StatusSource } from './types.js';

/** Options of {@link wasenderStatusSource}. */
export interface WasenderSourceOptions {
  /** The WASenderApi API key of the session that sent the messages. */
  apiKey: string;
  /** Default `https://www.wasenderapi.com`. */
  baseUrl?: string;
  /** Per request, the body included. Default 10 s. */
  timeoutMs?: number;
  /** Retries of a 5xx, a timeout or a network error (with exponential backoff and jitter). Default 3. */
  retries?: number;
  /** First retry delay; later ones grow ×2, randomized ×1–2. Default 500 ms. */
  minRetryDelayMs?: number;
  /** Rate-limit answers (429) one message may meet before it counts as failed. Default 5. */
  maxRateLimitWaits?: number;
  /** A 429 asking to wait longer than this stops the run (`ReconcileError('rate_limited')`). Default 2 minutes. */
  maxRetryAfterMs?: number;
}

const NUMERIC = /^\d+$/;

/** The numeric send id of a state: `meta.wasenderMsgId`, else a numeric message id; null when none. */
function msgIdOf(state: DeliveryState): string | null {
  const id = state.meta?.wasenderMsgId;
  if (id !== undefined && NUMERIC.test(id)) return id;
  return NUMERIC.test(state.messageId) ? state.messageId : null;
}

/** A 429: every request of the run waits `waitMs`, then this one is made again. */
class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`rate limited for ${waitMs} ms`);
  }
}

/** An answer that retrying will not change (a 400, an unusable body, another message's data). */
class Refused extends Error {}

function obj(x: unknown): Record<string, unknown> | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** The observation a 2xx answer stands for. */
function observationOf(state: DeliveryState, key: string, body: unknown): Observation {
  const root = obj(body);
  const data = obj(root?.data);
  if (root === undefined || data === undefined || root.success === false) throw new Refused(`unexpected answer: ${JSON.stringify(body).slice(0, 200)}`);
  const keyId = obj(data.key)?.id ?? data.id;
  // The msgId must name THIS message: merging another message's status would corrupt the state.
  if (typeof keyId === 'string' && keyId !== '' && keyId !== state.messageId) throw new Refused(`msgId answers for message ${keyId}, not ${state.messageId}`);
  const raw = data.status;
  if (raw === undefined || raw === null || (typeof raw !== 'number' && typeof raw !== 'string')) throw new Refused('the answer has no status');
  return { key, outcome: 'status', status: ackStatus(raw), providerStatus: String(raw) };
}

function classify(answer: HttpAnswer, state: DeliveryState, key: string, maxRetryAfterMs: number): Observation {
  const { status } = answer;
  if (status >= 200 && status < 300) return observationOf(state, key, answer.body);
  if (status === 404) return { key, outcome: 'notFound' };
  if (status === 401) throw new ReconcileError('unauthorized', 'WASenderApi refused the API key (HTTP 401): check the key of the session that sent these messages.');
  if (status === 403) throw new ReconcileError('forbidden', 'WASenderApi refused access with this API key (HTTP 403): check the key and its session.');
  if (status === 429) {
    const wait = retryAfterMs(answer.headers, answer.body, 1000, Date.now());
    if (wait > maxRetryAfterMs) throw new ReconcileError('rate_limited', `WASenderApi asks to wait ${Math.ceil(wait / 1000)} s (more than the ${Math.ceil(maxRetryAfterMs / 1000)} s this run accepts): stopped; run again later or lower ratePerSecond.`);
    throw new RateLimited(wait);
  }
  if (status >= 500 || status === 408) throw new TransientError(`HTTP ${status}`);
  throw new Refused(`HTTP ${status}: ${typeof answer.body === 'string' ? answer.body.slice(0, 200) : JSON.stringify(answer.body)?.slice(0, 200)}`);
}

/**
 * The WASenderApi status source for `createReconciler`. It covers one-to-one and group-level
 * WASender states that have a numeric send id (`track({ wasenderMsgId })`), one request each.
 * It respects 429 with `Retry-After` (the whole run waits), stops the run on 401/403 with a
 * `ReconcileError`, counts 404 as not found, and retries 5xx answers, timeouts and network
 * errors with p-retry (exponential backoff with jitter). Every request, retries included, goes
 * through the run's rate limiter.
 *
 * @example
 * ```ts
 * import { createReconciler, wasenderStatusSource } from 'bluetick/reconcile';
 *
 * const source = wasenderStatusSource({ apiKey: process.env.WASENDER_API_KEY! });
 * const report = await createReconciler({ tracker, source, ratePerSecond: 2 }).run();
 * ```
 */
export function wasenderStatusSource(options: WasenderSourceOptions): StatusSource {
  const apiKey = (options as WasenderSourceOptions | undefined)?.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new ConfigError('invalid_option', 'wasenderStatusSource(): give { apiKey } (your WASenderApi API key).');
  const base = (options.baseUrl ?? 'https://www.wasenderapi.com').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new ConfigError('invalid_option', `wasenderStatusSource(): baseUrl must be an http(s) URL, got "${base}".`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const minTimeout = options.minRetryDelayMs ?? 500;
  const maxWaits = options.maxRateLimitWaits ?? 5;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };

  async function checkOne(state: DeliveryState, ctx: CheckContext): Promise<Observation> {
    const key = stateKey(state);
    const url = `${base}/api/messages/${encodeURIComponent(msgIdOf(state) as string)}/info`;
    const attempt = async () => classify(await ctx.request(() => getJson(url, headers, timeoutMs, ctx.signal)), state, key, maxRetryAfterMs);
    for (let waits = 0; ; waits++) {
      try {
        return await pRetry(attempt, {
          retries,
          minTimeout,
          maxTimeout: 30_000,
          factor: 2,
          randomize: true,
          signal: ctx.signal,
          shouldRetry: ({ error }) => error instanceof TransientError,
        });
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (error instanceof ReconcileError) throw error; // nothing else would succeed: stop the run
        if (error instanceof RateLimited) {
          ctx.rateLimited(error.waitMs); // counted, and the whole run waits
          if (waits < maxWaits) continue;
        }
        return { key, outcome: 'failed', error };
      }
    }
  }

  return {
    name: 'wasender',
    batchSize: 1,
    covers: (state) => state.provider === 'wasender' && state.participantId === null && msgIdOf(state) !== null,
    async check(states, ctx) {
      const out: Observation[] = [];
      for (const state of states) out.push(await checkOne(state, ctx));
      return out;
    },
  };
}
