/**
 * `httpSink`: POST batches as JSON to a URL, signed so the receiver can verify them.
 *
 * @packageDocumentation
 */
import { contentHash } from '../event/ids.js';
import { SinkError } from './errors.js';
import { HTTP_SINK_SIGNATURE_HEADER, HTTP_SINK_TIMESTAMP_HEADER, signHttpSinkPayload } from './http-signature.js';
import type { Sink } from './types.js';

/**
 * Options of {@link httpSink}.
 *
 * @example
 * ```ts
 * const options: HttpSinkOptions = { url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET, timeoutMs: 5000 };
 * ```
 */
export interface HttpSinkOptions {
  url: string | URL;
  /** HMAC secret: when set, every request carries `x-bluetick-signature` and `x-bluetick-timestamp`. */
  secret?: string;
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** A `fetch` implementation (undici with a custom agent, a test double). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  name?: string;
}

/** 408, 425, 429 and every 5xx are worth retrying; every other 4xx is the sender's fault. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

/**
 * POSTs each batch as `{"events":[…]}`. Headers: `content-type: application/json`,
 * `idempotency-key` (a hash of the batch's event ids: the same batch retried keeps the same key),
 * and with a `secret`, `x-bluetick-timestamp` plus `x-bluetick-signature: sha256=<hex>` over
 * `"<timestamp>.<body>"` (check it with {@link verifyHttpSinkSignature}). 2xx delivers; 5xx, 408,
 * 425, 429 and network errors are retryable; any other status is not.
 *
 * @example
 * ```ts
 * createDispatcher({ sinks: [httpSink({ url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET })] });
 * ```
 */
export function httpSink(options: HttpSinkOptions): Sink {
  const url = String(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: options.name ?? `http:${new URL(url).host}`,
    async write(batch, context) {
      const doFetch = options.fetch ?? globalThis.fetch;
      const body = JSON.stringify({ events: batch });
      const headers: Record<string, string> = {
        ...options.headers,
        'content-type': 'application/json',
        'idempotency-key': contentHash(batch.map((e) => e.id).join('\n')),
      };
      if (options.secret !== undefined) {
        const timestamp = Math.floor(Date.now() / 1000);
        headers[HTTP_SINK_TIMESTAMP_HEADER] = String(timestamp);
        headers[HTTP_SINK_SIGNATURE_HEADER] = signHttpSinkPayload(body, timestamp, options.secret);
      }
      const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
      let response: Response;
      try {
        response = await doFetch(url, { method: 'POST', headers, body, signal });
      } catch (error) {
        throw new SinkError('http_network', `http sink: POST ${url} failed: ${(error as Error)?.message ?? String(error)}`, { retryable: true, cause: error });
      }
      // Read the body so the connection goes back to the pool; its text also helps the error.
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      throw new SinkError(`http_${response.status}`, `http sink: POST ${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, {
        retryable: retryableStatus(response.status),
      });
    },
  };
}

// Receivers of `httpSink` deliveries import the verifier from the same subpath.
export { HTTP_SINK_SIGNATURE_HEADER, HTTP_SINK_TIMESTAMP_HEADER, signHttpSinkPayload, verifyHttpSinkSignature } from './http-signature.js';
export type { VerifyHttpSinkSignatureInput } from './http-signature.js';
