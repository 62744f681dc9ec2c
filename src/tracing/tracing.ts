/**
 * bluetick's spans over the application's `@opentelemetry/api`. Created once per handler, tracker
 * or dispatcher when a `tracing` option is given; without one nothing here runs (each call site
 * is a single `undefined` check).
 */
import { ConfigError } from '../errors.js';
import type { OpenTelemetryApiLike, SpanContextLike, SpanLike, TraceAttributeValue, TracerLike } from './api.js';
import { describeValue } from '../internal/describe.js';

/** OpenTelemetry's numeric enums (stable in the specification): bluetick does not import them. */
export const SPAN_KIND = { internal: 0, server: 1, client: 2, producer: 3 } as const;
const STATUS_ERROR = 2;

/** The spans bluetick starts, bound to the application's API. */
export interface Tracing {
  /** Starts a span, a child of the active one. */
  start(name: string, attributes: Record<string, TraceAttributeValue>, kind?: number): SpanLike;
  /** Starts a root span with links (deliveries run apart from the requests that caused them). */
  startLinked(name: string, attributes: Record<string, TraceAttributeValue>, kind: number, links: readonly SpanContextLike[]): SpanLike;
  /** Runs `fn` with `span` active, so spans started inside are its children. */
  within<T>(span: SpanLike, fn: () => T): T;
  /** Ends `span`, recording `error` (and the error status) when one is given. */
  end(span: SpanLike, error?: unknown): void;
  /** The W3C trace-context headers of `span` (`traceparent`, `tracestate`), by the application's propagator. */
  headersOf(span: SpanLike): Record<string, string>;
  /** The span context active now, when it is a real one. */
  activeSpanContext(): SpanContextLike | undefined;
}

const fn = (value: unknown): boolean => typeof value === 'function';

/**
 * Checks a `tracing` option and binds it. A Tracer alone, or an object missing part of the API,
 * is a ConfigError naming what to pass instead.
 *
 * @example
 * ```ts
 * import * as otel from '@opentelemetry/api';
 * const tracing = resolveTracing(otel, 'createTracker');
 * ```
 */
export function resolveTracing(value: unknown, where: string): Tracing | undefined {
  if (value === undefined) return undefined;
  const api = value as Partial<OpenTelemetryApiLike> | null;
  const usable =
    api !== null &&
    typeof api === 'object' &&
    fn(api.trace?.getTracer) &&
    fn(api.trace?.setSpan) &&
    fn(api.trace?.getSpanContext) &&
    fn(api.context?.active) &&
    fn(api.context?.with) &&
    fn(api.propagation?.inject);
  if (!usable) {
    const tracerGiven = api !== null && typeof api === 'object' && fn((api as { startSpan?: unknown }).startSpan);
    throw new ConfigError(
      'invalid_tracing',
      `${where}: tracing must be the @opentelemetry/api module (import * as otel from '@opentelemetry/api'; { tracing: otel })${
        tracerGiven ? ', not a Tracer: bluetick also needs the API’s context and propagation to link spans and to send trace headers' : ''
      }.`,
    );
  }
  return bindTracing(api as OpenTelemetryApiLike);
}

function bindTracing(api: OpenTelemetryApiLike): Tracing {
  // Cast once: the structural API takes the module's own Context type, which bluetick never names.
  const trace = api.trace as unknown as {
    getTracer(name: string): TracerLike;
    setSpan(context: unknown, span: SpanLike): unknown;
    getSpanContext(context: unknown): SpanContextLike | undefined;
  };
  const context = api.context as unknown as { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  const propagation = api.propagation as unknown as { inject(context: unknown, carrier: Record<string, string>): void };
  let tracer: TracerLike | undefined;
  // Asked at the first span, not at creation: the application may register its provider later.
  const tracerOf = () => (tracer ??= trace.getTracer('bluetick'));
  return {
    start: (name, attributes, kind = SPAN_KIND.internal) => tracerOf().startSpan(name, { kind, attributes }, context.active()),
    startLinked: (name, attributes, kind, links) =>
      tracerOf().startSpan(name, { kind, root: true, attributes, links: links.map((c) => ({ context: c })) }),
    within: (span, run) => context.with(trace.setSpan(context.active(), span), run),
    end(span, error) {
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : describeValue(error));
        span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : describeValue(error) });
      }
      span.end();
    },
    headersOf(span) {
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), carrier);
      return carrier;
    },
    activeSpanContext() {
      const current = trace.getSpanContext(context.active());
      return current !== undefined && current.traceFlags !== undefined && /[1-9a-f]/.test(current.traceId) ? current : undefined;
    },
  };
}
