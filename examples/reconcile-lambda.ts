/**
 * Reconciliation as an AWS Lambda function on a schedule (an EventBridge rule such as
 * `rate(1 hour)` or `cron(0 * * * ? *)`). Each invocation runs once and returns its report; it
 * stops itself before the function's timeout (the report then says `stopped: true`, and the rest
 * waits for the next invocation), so a large backlog never ends in a killed function.
 *
 * Configure DATABASE_URL (the store your receivers write to) and WASENDER_API_KEY; give the
 * function a timeout of a few minutes and reserved concurrency 1 (two copies would pay for the
 * same API calls). The event it receives (trimmed):
 *
 *   { "version": "0", "id": "…", "detail-type": "Scheduled Event", "source": "aws.events",
 *     "time": "2026-11-21T10:00:00Z", "resources": ["arn:aws:events:…:rule/reconcile"], "detail": {} }
 */
import { createTracker, type Tracker } from 'bluetick';
import { createReconciler, wasenderStatusSource, type ReconcileReport, type StatusSource } from 'bluetick/reconcile';

/** The EventBridge scheduled event, as far as this handler reads it (@types/aws-lambda's `ScheduledEvent` fits). */
export interface ScheduledEvent {
  'detail-type': string;
  source: string;
  /** ISO time the rule fired. */
  time: string;
  id?: string;
  resources?: string[];
}

/** The part of the Lambda context used here (@types/aws-lambda's `Context` fits). */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
}

/** Options of {@link createReconcileHandler}. */
export interface HandlerOptions {
  tracker: Tracker;
  source: StatusSource | null;
  /** Time kept back before the function's timeout to finish the merges in flight and log. Default 10 s. */
  marginMs?: number;
}

/**
 * A scheduled handler over a tracker: one reconciliation per invocation, bounded by the time the
 * function has left.
 */
export function createReconcileHandler(options: HandlerOptions): (event: ScheduledEvent, context: LambdaContext) => Promise<ReconcileReport> {
  const reconciler = createReconciler({ tracker: options.tracker, source: options.source, olderThan: 15 * 60_000, concurrency: 4, ratePerSecond: 5 });
  const margin = options.marginMs ?? 10_000;
  return async (event, context) => {
    const budget = Math.max(1, context.getRemainingTimeInMillis() - margin);
    const report = await reconciler.run({ signal: AbortSignal.timeout(budget) });
    console.log(JSON.stringify({ scheduledAt: event.time, requestId: context.awsRequestId, ...report }));
    return report;
  };
}

let configured: ReturnType<typeof createReconcileHandler> | undefined;

/** The Lambda entry point (`handler` in the function configuration), configured from the environment on first use. */
export async function handler(event: ScheduledEvent, context: LambdaContext): Promise<ReconcileReport> {
  if (configured === undefined) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error('Set DATABASE_URL (the store your receivers write to).');
    const { postgresStore } = await import('bluetick/postgres');
    // The tracker (and its pool) outlives the invocation: warm invocations reuse it.
    const tracker = createTracker({ store: postgresStore({ connectionString, max: 2 }), durableListeners: false });
    const apiKey = process.env.WASENDER_API_KEY;
    configured = createReconcileHandler({ tracker, source: apiKey ? wasenderStatusSource({ apiKey }) : null });
  }
  return configured(event, context);
}
