/**
 * The request budget of one reconciliation run: a token bucket shared by every concurrent check
 * of the run, served first come first served.
 *
 * The bucket holds C = ⌊ratePerSecond⌋ tokens (at least one). A request takes a token when it
 * starts, and the token goes back into the bucket C / ratePerSecond seconds (one second when the
 * rate is a whole number) after the request SETTLED: after its answer arrived, not after it was
 * sent. Why: the provider counts requests when they reach it, at some unknown time between our
 * send and its answer (the first request of a run waits for a connection; a retry may be sent
 * the moment another answer arrives). Two requests that used the same token reach the provider
 * at least C / rate seconds apart, whatever the network did in between, so by pigeonhole no
 * window of one second at the provider ever holds more than C ≤ ratePerSecond requests. A
 * bucket refilled from send times only promises that for send times; the test that counts
 * arrivals at a local server showed a first request, held back by connection setup, landing
 * 123 ms before the second at 5 per second.
 *
 * A rate-limit answer (`pause(ms)`) holds every waiter until then: the provider's Retry-After
 * speaks for the whole API key, not for the one request that got it. Times come from a monotonic
 * clock, and a grant is only made once the clock says so (a timer that fires early waits again).
 */

/** A run's request budget. */
export interface RateLimiter {
  /**
   * Runs one request under the budget: waits for a token (rejecting with the signal's reason when
   * it aborts first), runs `request`, and gives the token back one period after it settled.
   */
  run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** No request starts before `ms` from now (a 429's Retry-After). */
  pause(ms: number): void;
}

interface Waiter {
  grant: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Creates the limiter. `ratePerSecond` may be fractional (0.2 = one request every 5 s);
 * `Infinity` never waits (pauses still apply).
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter(5);
 * const res = await limiter.run(() => fetch(url)); // at most 5 requests reach the server in any second
 * ```
 */
export function createRateLimiter(ratePerSecond: number, clock: () => number = () => performance.now()): RateLimiter {
  const unlimited = ratePerSecond === Number.POSITIVE_INFINITY;
  const capacity = unlimited ? 0 : Math.max(1, Math.floor(ratePerSecond));
  const periodMs = unlimited ? 0 : (capacity * 1000) / ratePerSecond;
  // When each token in the bucket becomes usable. Tokens come back with the same period on a
  // monotonic clock, so they come back in order: a FIFO is a priority queue here.
  const free: number[] = new Array<number>(capacity).fill(Number.NEGATIVE_INFINITY);
  const queue: Waiter[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function pump(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) {
      if (!unlimited && free.length === 0) return; // a settling request brings a token back and pumps
      const t = clock();
      const at = Math.max(unlimited ? t : (free[0] as number), pausedUntil);
      if (t < at) {
        // Rounded up: a grant is never early, and the loop re-checks the clock when it fires.
        timer = setTimeout(pump, Math.max(1, Math.ceil(at - t)));
        return;
      }
      if (!unlimited) free.shift();
      const w = queue.shift() as Waiter;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.grant();
    }
  }

  function giveBack(): void {
    if (unlimited) return;
    free.push(clock() + periodMs);
    if (queue.length > 0) pump();
  }

  function acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((grant, reject) => {
      const w: Waiter = {
        grant,
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
  }

  return {
    async run(request, signal) {
      await acquire(signal);
      try {
        return await request();
      } finally {
        giveBack();
      }
    },
    pause(ms) {
      if (!(ms > 0)) return;
      pausedUntil = Math.max(pausedUntil, clock() + ms);
      if (timer !== undefined) pump();
    },
  };
}
