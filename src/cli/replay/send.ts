/**
 * Sends payloads to a receiver with bounded concurrency over keep-alive connections, and counts
 * the answers. Shared by `bluetick replay` and the demo.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Provider } from '../../event/types.js';
import { signedRequest, type ReplayCredentials, type ReplayPayload, type SignedRequest } from './request.js';

/** The outcome of one request: an HTTP status, or `status: null` and the network error. */
export interface ReplayResult {
  payload: ReplayPayload;
  status: number | null;
  /** The response body (first 500 characters), or the network error message. */
  detail: string;
  ms: number;
}

/** Counts of a replay. */
export interface ReplaySummary {
  sent: number;
  /** Responses by status code; network errors under `"error"`. */
  byStatus: Record<string, number>;
  byProvider: Partial<Record<Provider, Record<string, number>>>;
  /** Requests that were not answered 2xx (the first 50). */
  failures: ReplayResult[];
  failed: number;
  durationMs: number;
}

/** Options of {@link replayPayloads}. */
export interface ReplayOptions {
  url: string;
  credentials: ReplayCredentials;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Called after each response (progress display). */
  onResult?: (result: ReplayResult, summary: ReplaySummary) => void;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
}

function post(req: SignedRequest, agent: HttpAgent, timeoutMs: number): Promise<{ status: number; body: string }> {
  const url = new URL(req.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      { method: 'POST', agent, headers: { ...req.headers, 'content-length': String(req.body.byteLength) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** True for 2xx. */
export function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/**
 * Sends every payload (signed per provider) and resolves with the counts. Never throws for a
 * failed request: it is counted under its status, or `error` for a network failure.
 *
 * @example
 * ```ts
 * const summary = await replayPayloads(payloads, { url, credentials: { cloudSecret }, concurrency: 8 });
 * console.log(summary.byStatus); // { '200': 412 }
 * ```
 */
export async function replayPayloads(payloads: readonly ReplayPayload[], options: ReplayOptions): Promise<ReplaySummary> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const isHttps = new URL(options.url).protocol === 'https:';
  const agent = isHttps ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency }) : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  const summary: ReplaySummary = { sent: 0, byStatus: {}, byProvider: {}, failures: [], failed: 0, durationMs: 0 };
  const started = performance.now();
  let next = 0;

  async function worker(): Promise<void> {
    while (next < payloads.length) {
      const payload = payloads[next++] as ReplayPayload;
      const t0 = performance.now();
      let result: ReplayResult;
      try {
        const res = await post(signedRequest(payload, options.url, options.credentials), agent, timeoutMs);
        result = { payload, status: res.status, detail: res.body, ms: performance.now() - t0 };
      } catch (error) {
        result = { payload, status: null, detail: error instanceof Error ? error.message : String(error), ms: performance.now() - t0 };
      }
      const code = result.status === null ? 'error' : String(result.status);
      summary.sent++;
      summary.byStatus[code] = (summary.byStatus[code] ?? 0) + 1;
      const per = (summary.byProvider[payload.provider] ??= {});
      per[code] = (per[code] ?? 0) + 1;
      if (!isSuccess(result.status)) {
        summary.failed++;
        if (summary.failures.length < 50) summary.failures.push(result);
      }
      options.onResult?.(result, summary);
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker));
  } finally {
    agent.destroy();
  }
  summary.durationMs = performance.now() - started;
  return summary;
}
