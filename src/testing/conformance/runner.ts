/**
 * What a conformance suite needs from the caller's test runner: a subset of the API that vitest,
 * jest and node:test wrappers share, passed in so bluetick never imports a test runner itself.
 */

/** The assertions the suites use. */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeNull(): void;
  toBeGreaterThanOrEqual(expected: number): void;
}

/** The test-runner functions the suites register their tests with. */
export interface ConformanceRunner {
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => Promise<void>) => void;
  expect: (actual: unknown) => ConformanceAssertion;
  beforeEach: (fn: () => Promise<void>) => void;
  afterEach: (fn: () => Promise<void>) => void;
}

/** What a suite tests. */
export interface ConformanceTarget<S> {
  name: string;
  /** A ready store. Called before every test; data of other tests may remain (ids are unique per test). */
  create: () => Promise<S>;
  /** Called after every test with the store (already closed when the test closed it). */
  cleanup?: (store: S) => Promise<void>;
  /** Concurrent steps in the atomicity test. Default 400. */
  concurrency?: number;
}

let counter = 0;

/** A namespace no other test, run or process uses: ids and message ids start with it. */
export function uniquePrefix(): string {
  return `conf-${Date.now().toString(36)}-${typeof process === 'undefined' ? 0 : process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
