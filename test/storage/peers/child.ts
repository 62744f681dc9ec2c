/**
 * Child process of postgres-peers.test.ts: builds a store with its peer hidden, marks on stderr
 * when construction returned, then prints what ready() and an ingest rejected with, as JSON.
 */
import { pgliteStore, postgresStore } from '../../../src/storage/postgres/index.js';
import { observation, stepOf } from '../../../src/testing/index.js';

const kind = process.argv[2];
const store =
  kind === 'pglite'
    ? pgliteStore({ dataDir: '/nonexistent/bluetick-never-created', claimCleanupIntervalMs: 0 })
    : kind === 'pglite-memory'
      ? pgliteStore()
      : postgresStore({ connectionString: 'postgres://127.0.0.1:1/x', claimCleanupIntervalMs: 0 });
process.stderr.write('[constructed]\n');
await new Promise((r) => setTimeout(r, 50));
process.stderr.write('[ready called]\n');
const describe = (e: unknown) => ({ name: (e as Error).constructor.name, code: (e as { code?: string }).code, status: (e as { status?: number }).status, message: (e as Error).message });
const out: unknown[] = [];
for (const op of [() => store.ready(), () => store.ingest(stepOf([observation('peer-1', 'sent', 1)])), () => store.get('cloud:x:')]) {
  try {
    await op();
    out.push(null);
  } catch (e) {
    out.push(describe(e));
  }
}
await store.close();
try {
  await store.ping();
} catch (e) {
  out.push(describe(e));
}
process.stdout.write(JSON.stringify(out));
