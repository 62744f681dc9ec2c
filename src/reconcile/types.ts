/**
 * Public types of reconciliation: the {@link StatusSource} contract hosts implement for any
 * provider or for their own records, what it returns, and what a run reports.
 *
 * @packageDocumentation
 */
import type { DeliveryStatus, ProviderError } from '../event/types.js';
import type { DeliveryState } from '../state/state.js';

/**
 * What a source learned about one state, keyed by the state's key (`stateKey(state)`):
 *
 * - `status`: the provider's current status. It is merged like a webhook would be (the lattice
 *   decides, so an older status never downgrades anything).
 * - `notFound`: the provider does not know the message (an HTTP 404).
 * - `failed`: the source could not find out (after its own retries); the state is asked again next run.
 */
export type Observation =
  | {
      key: string;
      outcome: 'status';
      /** The canonical status (`failed` for a provider-side error). */
      status: DeliveryStatus;
      /** The provider's raw value (`"3"`, `"DELIVERED"`): part of the event id, kept in annotations when unknown. */
      providerStatus: string;
      /** When the provider says the status happened. Absent: unknown, the poll time is used and marked estimated. */
      occurredAt?: string | number | Date | null;
      errors?: ProviderError[];
    }
  | { key: string; outcome: 'notFound' }
  | { key: string; outcome: 'failed'; error: unknown };

/**
 * What a run hands to {@link StatusSource.check} besides the states.
 *
 * @example
 * ```ts
 * const res = await context.request(() => fetch(url, { signal: context.signal })); // under the run's rate limit
 * if (res.status === 429) context.rateLimited(retryAfterMs); // every request of the run waits
 * ```
 */
export interface CheckContext {
  /** Aborted when the run is stopped (`reconciler.stop()`, the run's own signal, a fatal error). */
  readonly signal: AbortSignal;
  /**
   * Runs one request under the run's `ratePerSecond` (one token bucket shared by every concurrent
   * `check`): waits for a token, runs `request`, and returns the token once it settled. Make
   * EVERY request to a rate-limited API through it, retries included, and let it span the whole
   * request (answer included): that is what keeps the provider's count under the rate.
   */
  request<T>(request: () => Promise<T>): Promise<T>;
  /** Reports a rate-limit answer: the whole run waits `retryAfterMs` before its next request. */
  rateLimited(retryAfterMs: number): void;
}

/**
 * Where a reconciler asks for the status of the messages whose updates never came: a provider's
 * API (`wasenderStatusSource`), a BSP's, or the host's own send log.
 *
 * Contract: `check` returns at most one observation per state it was given (a state left out
 * counts as `failed`). Per-message problems are returned as `failed` observations; THROW only to
 * stop the whole run (bad credentials: nothing else would succeed). Make each request to a
 * rate-limited API through `context.request()`, and honour `context.signal`.
 *
 * @example
 * ```ts
 * const mySendLog: StatusSource = {
 *   name: 'send-log',
 *   covers: (state) => state.provider === 'cloud',
 *   async check(states) {
 *     const rows = await db.query('SELECT wamid, status FROM sends WHERE wamid = ANY($1)', [states.map((s) => s.messageId)]);
 *     return states.map((s) => {
 *       const row = rows.find((r) => r.wamid === s.messageId);
 *       return row ? { key: stateKey(s), outcome: 'status', status: row.status, providerStatus: row.status } : { key: stateKey(s), outcome: 'notFound' };
 *     });
 *   },
 * };
 * ```
 */
export interface StatusSource {
  /** Names the source in metrics and reports (`wasender`, `my-bsp`). */
  readonly name: string;
  /** States per `check` call (default 1). A bulk API takes many at once. */
  readonly batchSize?: number;
  /**
   * Whether this source can ask about a state. States it does not cover are never checked: past
   * the reconciler's horizon they are reported as `expired`, before it they are skipped.
   */
  covers(state: DeliveryState): boolean;
  /** Asks about a batch of states (see the contract above). */
  check(states: readonly DeliveryState[], context: CheckContext): Promise<readonly Observation[]>;
}

/**
 * What one run did. `checked` = `changed + unchanged + notFound + failed`; every stale state
 * found is checked, expired or skipped.
 *
 * @example
 * ```ts
 * const report = await reconciler.run();
 * console.log(`${report.changed} of ${report.checked} moved; ${report.expired} expired`);
 * ```
 */
export interface ReconcileReport {
  /** Stale states read from the store. */
  found: number;
  /** States the source was asked about. */
  checked: number;
  /** Checked states whose presented state changed (a `transition` or `change` event, origin `poll`). */
  changed: number;
  /** Checked states the answer did not change (the same status, or an older one the lattice absorbed). */
  unchanged: number;
  /** Checked states the provider does not know. */
  notFound: number;
  /** Checked states the source could not answer for; they are asked again next run. */
  failed: number;
  /** States reported `expired` in this run (past the horizon with no way, or no result, to check them). */
  expired: number;
  /** States neither checked nor expired: not covered and not past the horizon, already expired, or beyond `limit`. */
  skipped: number;
  /** Rate-limit answers (HTTP 429) the source met. */
  rateLimited: number;
  /** True when the run was stopped before it finished (`stop()`, its signal). */
  stopped: boolean;
  /** True when nothing was written (`dryRun`): changes are what WOULD have changed. */
  dryRun: boolean;
  durationMs: number;
}

/** Progress of a run in flight, for a progress bar. */
export interface ReconcileProgress {
  /** States handled so far (checked or expired). */
  done: number;
  /** States this run will handle. */
  total: number;
  report: ReconcileReport;
}
