import { createConnection } from 'node:net';
import { describe, it } from 'vitest';

/**
 * Real services (PostgreSQL, Redis) for integration tests.
 *
 * On a developer laptop without them, the tests that need them skip with a clear message.
 * In CI, `BLUETICK_REQUIRE_SERVICES=1` is set (by `.ci/run`) and a missing service FAILS the run
 * instead: a skipped integration test is never counted as passing there.
 */
export const requireServices = process.env.BLUETICK_REQUIRE_SERVICES === '1';
/** `npm run test:unit`: the tests that need a service are skipped on purpose (and say so). */
export const skipServices = process.env.BLUETICK_SKIP_SERVICES === '1' && !requireServices;

export const POSTGRES_URL = process.env.BLUETICK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BLUETICK_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * `describe(name, fn)` when `condition` holds. Otherwise the group is registered as skipped with
 * the reason in its title (so every reporter shows it next to the group), and one line naming the
 * group and the reason is printed: a skipped group never passes unnoticed.
 *
 * @example
 * describeIf(await redisAvailable(), REASONS.redis, 'redisStore (real Redis)', () => { … });
 */
export function describeIf(condition: boolean, reason: string, name: string, fn: () => void): void {
  if (condition) return void describe(name, fn);
  console.warn(`[bluetick tests] SKIPPED "${name}": ${reason}`);
  describe.skip(`${name} [skipped: ${reason}]`, fn);
}

/** The same for one test. */
export function itIf(condition: boolean, reason: string, name: string, fn: () => unknown, timeout?: number): void {
  if (condition) return void it(name, fn, timeout);
  console.warn(`[bluetick tests] SKIPPED "${name}": ${reason}`);
  it.skip(`${name} [skipped: ${reason}]`, fn, timeout);
}

/** A `describe` for suites that take one (the storage conformance suite), skipping visibly unless `condition`. */
export function describeFor(condition: boolean, reason: string): (name: string, fn: () => void) => void {
  return (name, fn) => describeIf(condition, reason, name, fn);
}

/** The heavy tests that need no service (PGlite, a process per docs sample) run in npm test only. */
export const heavyTests = !skipServices;

const UNIT = 'npm run test:unit leaves the tests that need a service to npm test';
/** Why a service's tests are skipped (only when BLUETICK_REQUIRE_SERVICES is not set). */
export const SKIP_REASONS = {
  postgres: skipServices ? UNIT : 'PostgreSQL is not reachable at 127.0.0.1:5432 (start it, or set BLUETICK_REQUIRE_SERVICES=1 to make this a failure)',
  redis: skipServices ? UNIT : 'Redis is not reachable at 127.0.0.1:6379 (start it, or set BLUETICK_REQUIRE_SERVICES=1 to make this a failure)',
  rabbitmq: skipServices ? UNIT : 'RabbitMQ is not reachable at 127.0.0.1:5672 (start it, or set BLUETICK_REQUIRE_SERVICES=1 to make this a failure)',
  /** PGlite is PostgreSQL in WASM: no service, but seconds of CPU per database. */
  pglite: 'npm run test:unit leaves the PGlite databases (seconds of CPU each) to npm test',
  /** Each docs sample runs in its own Node process (test/docs/run-samples.test.ts). */
  samples: 'npm run test:unit leaves running the docs samples (a Node process each) to npm test',
  nats: skipServices ? UNIT : 'NATS JetStream is not reachable at 127.0.0.1:4222 (start it, or set BLUETICK_REQUIRE_SERVICES=1 to make this a failure)',
} as const;

/**
 * Resolves whether a service is up. When it is not: throws under BLUETICK_REQUIRE_SERVICES=1,
 * otherwise prints why the dependent tests are skipped.
 */
export async function serviceAvailable(name: string, host: string, port: number): Promise<boolean> {
  if (skipServices) return false;
  const ok = await reachable(host, port);
  if (ok) return true;
  const message = `${name} is not reachable at ${host}:${port}`;
  if (requireServices) throw new Error(`${message}, and BLUETICK_REQUIRE_SERVICES=1 requires it.`);
  // Each group that needs it then prints its own SKIPPED line (describeIf / itIf).
  return false;
}

export const postgresAvailable = () => serviceAvailable('PostgreSQL', '127.0.0.1', 5432);
export const redisAvailable = () => serviceAvailable('Redis', '127.0.0.1', 6379);
export const rabbitmqAvailable = () => serviceAvailable('RabbitMQ', '127.0.0.1', 5672);
export const natsAvailable = () => serviceAvailable('NATS', '127.0.0.1', 4222);

export const RABBITMQ_URL = process.env.BLUETICK_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const NATS_SERVERS = process.env.BLUETICK_NATS_SERVERS ?? '127.0.0.1:4222';
