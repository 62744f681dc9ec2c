/**
 * Spans of sink deliveries. A delivery runs later than the request that committed its events, in a
 * batch that may mix several requests: each attempt is a root span (`bluetick.sink.deliver`) with
 * links to the spans that committed its records, when this process committed them.
 */
import type { SpanContextLike, SpanLike, TraceAttributeValue } from './api.js';
import { SPAN_KIND, type Tracing } from './tracing.js';

/**
 * What a traced write attempt gives its sink (`WriteContext.trace`): the delivery span's trace
 * headers to copy into outgoing requests or messages, and a way to add attributes to it.
 *
 * @example
 * ```ts
 * const sink: Sink = {
 *   async write(batch, { trace }) {
 *     const response = await fetch(url, { method: 'POST', headers: { ...trace?.headers }, body: JSON.stringify(batch) });
 *     trace?.setAttribute('http.response.status_code', response.status);
 *   },
 * };
 * ```
 */
export interface WriteTrace {
  /** W3C trace-context headers (`traceparent`, and `tracestate` when there is one) of this attempt's span. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sets an attribute on this attempt's span. */
  setAttribute(key: string, value: TraceAttributeValue): void;
}

/** How one delivery attempt ended. */
export type DeliveryOutcome = 'delivered' | 'partial' | 'failed';

/** One traced attempt: the sink's view, and the end the dispatcher calls. */
export interface TracedAttempt {
  trace: WriteTrace;
  end(outcome: DeliveryOutcome, error?: unknown): void;
}

/** The dispatcher's tracing: remembers which span committed a record, starts attempt spans. */
export interface DeliveryTracing {
  /** Called as records are handed to lanes: links them to the span active now. */
  remember(records: readonly object[]): void;
  start(sink: string, records: readonly object[], attempt: number): TracedAttempt;
}

/** Most links one delivery span carries (OpenTelemetry's default limit is 128). */
const MAX_LINKS = 32;

/**
 * Binds delivery spans to a {@link Tracing}.
 *
 * @example
 * ```ts
 * const deliveries = deliveryTracing(resolveTracing(otel, 'createDispatcher')!);
 * ```
 */
export function deliveryTracing(tracing: Tracing): DeliveryTracing {
  const origins = new WeakMap<object, SpanContextLike>();
  return {
    remember(records) {
      const origin = tracing.activeSpanContext();
      if (origin === undefined) return;
      for (const r of records) origins.set(r, origin);
    },
    start(sink, records, attempt) {
      const links: SpanContextLike[] = [];
      const seen = new Set<string>();
      for (const r of records) {
        const origin = origins.get(r);
        if (origin === undefined || seen.has(origin.spanId) || links.length >= MAX_LINKS) continue;
        seen.add(origin.spanId);
        links.push(origin);
      }
      const span: SpanLike = tracing.startLinked(
        'bluetick.sink.deliver',
        { 'bluetick.sink.name': sink, 'bluetick.sink.batch_size': records.length, 'bluetick.sink.attempt': attempt },
        SPAN_KIND.producer,
        links,
      );
      const headers = tracing.headersOf(span);
      return {
        trace: { headers, setAttribute: (key, value) => void span.setAttribute(key, value) },
        end(outcome, error) {
          span.setAttribute('bluetick.sink.outcome', outcome);
          tracing.end(span, outcome === 'delivered' ? undefined : error);
        },
      };
    },
  };
}
