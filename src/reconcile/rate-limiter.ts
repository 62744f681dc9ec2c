/**
 * The request budget of one reconciliation run: a token bucket of capacity ONE, refilled at
 * `ratePerSecond`, shared by every concurrent check of the run, served first come first served.
 *
 * Why capacity one: a bucket of capacity C lets C requests through at once and then R per
 * second, so some one-second window sees C + R - 1 requests. Only C = 1 keeps every window of
 * one second at or under R (n grants need n - 1 refills of 1/R s each, so n grants in less than
 * one second means n - 1 < R). The steady rate is the same; only the initial burst is given up.
 * Times come from a monotonic clock, and a grant is only made once the clock says so (a timer
 * that fires early just waits again), so grants are never closer than 1/R apart.
 *
 * A rate-limit answer (`pause(ms)`) holds every waiter until then: the provider's Retry-After
 * speaks for the whole API key, not for the one request that got it.
 */

/** A run's request budget. */
export interface RateLimiter {
  /** Resolves when one request may be made; rejects with the signal's reason when it aborts first. */
  take(signal?: AbortSignal): Promise<void>;
  /** No grant before `ms` from now (a 429's Retry-After). */
  pause(ms: number): void;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Creates the limiter. `ratePerSecond` may be fractional (0.2 = one request every 5 s);
 * `Infinity` grants at once (pauses still apply).
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter(5);
 * await limiter.take(); // at most 5 grants in any one-second window
 * ```
 */
export function createRateLimiter(ratePerSecond: number, clock: () => number = () => performance.now()): RateLimiter {
  const interval = ratePerSecond === Number.POSITIVE_INFINITY ? 0 : 1000 / ratePerSecond;
  const queue: Waiter[] = [];
  let nextAt = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function pump(): void {
    timer = undefined;
    while (queue.length > 0) {
      const t = clock();
      const at = Math.max(nextAt, pausedUntil);
      if (t < at) {
        // Rounded up: a grant is never early, and the loop re-checks the clock when it fires.
        timer = setTimeout(pump, Math.max(1, Math.ceil(at - t)));
        return;
      }
      const w = queue.shift() as Waiter;
      w.signal?.removeEventListener('abort', w.onAbort);
      // From the actual grant time: a late timer spaces grants further apart, never closer.
      nextAt = t + interval;
      w.resolve();
    }
  }

  function reschedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    pump();
  }

  return {
    take(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = queue.indexOf(w);
            if (i >= 0) queue.splice(i, 1);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener('abort', w.onAbort, { once: true });
        queue.push(w);
        if (timer === undefined) pump();
      });
    },
    pause(ms) {
      if (!(ms > 0)) return;
      pausedUntil = Math.max(pausedUntil, clock() + ms);
      if (timer !== undefined) reschedule();
    },
  };
}
