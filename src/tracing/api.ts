/**
 * The part of `@opentelemetry/api` bluetick uses, described structurally: bluetick never imports
 * the package (an optional peer), the application hands its module over.
 *
 * @packageDocumentation
 */

/**
 * An attribute value bluetick sets on its spans.
 *
 * @example
 * ```ts
 * trace?.setAttribute('audit.rows', 12 satisfies TraceAttributeValue);
 * ```
 */
export type TraceAttributeValue = string | number | boolean;

/**
 * The identity of a span (OpenTelemetry `SpanContext`).
 *
 * @example
 * ```ts
 * const { traceId, spanId } = span.spanContext();
 * ```
 */
export interface SpanContextLike {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

/**
 * The span methods bluetick calls (OpenTelemetry `Span`).
 *
 * @example
 * ```ts
 * span.setAttribute('bluetick.events', 3);
 * span.end();
 * ```
 */
export interface SpanLike {
  setAttribute(key: string, value: TraceAttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): unknown;
  spanContext(): SpanContextLike;
  end(): void;
}

/**
 * The tracer bluetick starts its spans with (OpenTelemetry `Tracer`), from
 * `otel.trace.getTracer('bluetick')`.
 *
 * @example
 * ```ts
 * const span = tracer.startSpan('bluetick.store', { attributes: { 'bluetick.events': 2 } });
 * ```
 */
export interface TracerLike {
  startSpan(
    name: string,
    options?: { kind?: number; root?: boolean; attributes?: Record<string, TraceAttributeValue>; links?: Array<{ context: SpanContextLike }> },
    context?: unknown,
  ): SpanLike;
}

/**
 * The `@opentelemetry/api` module, as `import * as otel from '@opentelemetry/api'` gives it: the
 * `tracing` option of `createWebhookHandler`, `createTracker` and `createDispatcher`.
 *
 * @example
 * ```ts
 * import * as otel from '@opentelemetry/api';
 * const tracker = createTracker({ tracing: otel });
 * ```
 */
export interface OpenTelemetryApiLike {
  trace: {
    getTracer(name: string, version?: string): TracerLike;
    setSpan(context: never, span: never): unknown;
    getSpanContext(context: never): SpanContextLike | undefined;
  };
  context: {
    active(): unknown;
    with(context: never, fn: () => unknown): unknown;
  };
  propagation: {
    inject(context: never, carrier: Record<string, string>): void;
  };
}
