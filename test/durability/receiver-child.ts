/**
 * The receiver of the durability tests, in its own process so a test can SIGKILL or SIGTERM it:
 * createNodeListener + createTracker over a real store (PostgreSQL or Redis, through a proxy port
 * the test can cut), with two real sinks: an ndjson file and an HTTP endpoint of the test.
 * argv: <store: postgres|redis> <store port> <namespace> <ndjson path> <http sink url> <port file>
 * SIGTERM: stop taking requests, close the tracker (hands undelivered records back), exit 0.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTracker, type StateStore } from '../../src/index.js';
import { createNodeListener } from '../../src/http/node.js';
import { httpSink } from '../../src/sinks/http.js';
import { ndjsonSink } from '../../src/sinks/ndjson.js';

const [kind, storePort, namespace, ndjsonPath, sinkUrl, portFile] = process.argv.slice(2) as [string, string, string, string, string, string];
let store: StateStore;
if (kind === 'postgres') {
  const { postgresStore } = await import('../../src/storage/postgres/index.js');
  store = postgresStore({ connectionString: `postgres://postgres@127.0.0.1:${storePort}/test`, schema: namespace, max: 8, connectionTimeoutMillis: 1_000 } as never);
} else {
  const { redisStore } = await import('../../src/storage/redis/index.js');
  store = redisStore({ url: `redis://127.0.0.1:${storePort}`, prefix: `${namespace}:`, timeoutMs: 1_000 } as never);
}
const tracker = createTracker({
  store,
  sinks: [ndjsonSink({ name: 'file', path: ndjsonPath }), httpSink({ name: 'http', url: sinkUrl })],
  // Short leases: what a killed process held comes back within seconds, not a minute.
  leaseMs: 1_500,
  dispatch: { leaseMs: 1_500, recoverEveryMs: 200, retry: { retries: 50, minTimeout: 50, maxTimeout: 500 }, onError: () => undefined },
});
tracker.on('transition', () => undefined);
await tracker.ready();
const server = createServer(createNodeListener({ cloud: { appSecret: 'durability-secret' }, tracker, ingestTimeoutMs: 5_000, logger: { warn: () => undefined, error: () => undefined } }));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
// Written whole, then renamed: the parent polls for the file and must never read it half-written.
writeFileSync(`${portFile}.tmp`, JSON.stringify({ port: (server.address() as AddressInfo).port }));
renameSync(`${portFile}.tmp`, portFile);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void tracker.close().finally(() => process.exit(0));
});
