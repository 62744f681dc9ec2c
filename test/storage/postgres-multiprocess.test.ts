import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { runMultiprocess, verifyOutcome } from './multiprocess/runner.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('mp');

afterAll(async () => {
  if (available) await dropSchema(schema);
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore across 4 processes', () => {
  it('converges to the sequential fold and emits every status transition exactly once', async () => {
    // Migrate first so the workers race on data, not on DDL (migration races are tested apart).
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 2, schema, claimCleanupIntervalMs: 0 });
    await store.migrate();
    const outcome = await runMultiprocess({
      storeModule: fileURLToPath(new URL('./multiprocess/stores/postgres.ts', import.meta.url)),
      env: { BLUETICK_MP_SCHEMA: schema },
    });
    const totals = outcome.outputs.map((o) => `${o.ingested} in ${Math.round(o.ms)} ms`).join(', ');
    console.log(`[postgres multiprocess] ${outcome.events.length} events; workers: ${totals}; wall ${Math.round(outcome.wallMs)} ms`);
    expect(outcome.outputs.length).toBe(4);
    expect(outcome.outputs.every((o) => o.ingested > outcome.events.length)).toBe(true);
    expect(outcome.outputs.every((o) => o.duplicates > 0)).toBe(true);
    expect(outcome.outputs.reduce((n, o) => n + o.transitions.length, 0)).toBeGreaterThan(0);
    expect(await verifyOutcome(outcome, (key) => store.get(key))).toEqual([]);
    // Every listener record was acked by the process that appended it.
    expect((await store.outbox.stats()).pending).toEqual({});
    await store.close();
  }, 180_000);

  it('catches a store whose before is not taken atomically (harness self-test)', async () => {
    const racySchema = `${schema}_racy`;
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 2, schema: racySchema, claimCleanupIntervalMs: 0 });
    await store.migrate();
    try {
      const outcome = await runMultiprocess({
        storeModule: fileURLToPath(new URL('./multiprocess/stores/racy-postgres.ts', import.meta.url)),
        env: { BLUETICK_MP_SCHEMA: racySchema },
        events: 1_000,
      });
      const problems = await verifyOutcome(outcome, (key) => store.get(key));
      expect(problems.some((p) => p.includes('more than once') || p.includes('created'))).toBe(true);
    } finally {
      await store.close();
      await dropSchema(racySchema);
    }
  }, 180_000);
});
