/**
 * docs/operating-at-scale.md: the receivers (any number of identical processes) and one sweeper.
 *
 * @sample compile-only — a fixed BullMQ queue on the shared Redis and dead letters under /var/lib/bluetick
 */
import { Pool } from 'pg';
import { createTracker } from 'bluetick';
import { createNodeListener } from 'bluetick/node';
import { postgresStore } from 'bluetick/postgres';
import { bullmqSink } from 'bluetick/sinks/bullmq';
import { ndjsonSink } from 'bluetick/sinks/ndjson';

declare function alertOps(message: string): void;

// Every receiver: the same code, any number of processes behind the load balancer.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const store = postgresStore({ pool });
const tracker = createTracker({
  store,
  sinks: [bullmqSink({ queueName: 'whatsapp-events', connection: { host: '127.0.0.1', port: 6379 } })],
  dispatch: {
    deadLetter: ndjsonSink({ path: '/var/lib/bluetick/dead-letter.ndjson' }),
    maxQueue: 50_000,
    handleSignals: true, // flush the queues on SIGTERM before the process exits
  },
});
export const listener = createNodeListener({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
  ingestTimeoutMs: 5_000, // a slow database answers 503 (Meta retries) instead of holding requests
});

// ONE sweeper process (or a cron job): `stale` is remembered per tracker, so one sweeper alerts once.
export function startSweeper() {
  const sweeper = createTracker({
    store: postgresStore({ pool }),
    staleCheck: { everyMs: 60_000, olderThanMs: 15 * 60_000, statuses: ['sent'] },
  });
  sweeper.on('stale', ({ state, ageMs }) => alertOps(`${state.messageId} sent ${Math.round(ageMs / 60_000)} min ago, not delivered`));
  return sweeper;
}

// A nightly job: delete (or archive) states untouched for 90 days; claims expire by themselves.
export async function nightlyRetention() {
  const store = postgresStore({ pool });
  return store.retention({ olderThan: 90 * 86_400_000, batchSize: 5000, archive: true });
}
