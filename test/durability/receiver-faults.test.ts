/**
 * Issue "Durable ingest", item 7: a receiver under load is SIGKILLed and restarted, SIGTERMed and
 * restarted, and cut from its store for 3 s through a TCP proxy. In each case every event of every
 * webhook answered 2xx reaches BOTH sinks (an ndjson file and an HTTP endpoint) at least once, or
 * sits in the store's dead-letter list with a reason: zero are missing. Real PostgreSQL and Redis.
 */
import { afterEach, expect, it } from 'vitest';
import type { StateStore } from '../../src/index.js';
import { postgresAvailable, redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../storage/multiprocess/tcp-proxy.js';
import { provider, Receiver, startSinkServer, until } from './harness.js';

type Kind = 'postgres' | 'redis';
const available = { postgres: await postgresAvailable(), redis: await redisAvailable() };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openStore(kind: Kind, namespace: string): Promise<StateStore> {
  if (kind === 'postgres') {
    const { postgresStore } = await import('../../src/storage/postgres/index.js');
    return postgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: namespace, max: 2 } as never);
  }
  const { redisStore } = await import('../../src/storage/redis/index.js');
  return redisStore({ url: 'redis://127.0.0.1:6379', prefix: `${namespace}:` } as never);
}

async function dropNamespace(kind: Kind, namespace: string): Promise<void> {
  if (kind === 'postgres') {
    const { dropSchema } = await import('../storage/postgres-helpers.js');
    await dropSchema(namespace);
  } else {
    const { deleteUnder, testClient } = await import('../storage/redis-helpers.js');
    const client = testClient();
    await deleteUnder(client, `${namespace}:`);
    client.disconnect();
  }
}

// Two receiver processes, a fault and a minute at most for the sinks to catch up: on a loaded
// 2-core machine that is more than the default 30 s.
const SCENARIO_TIMEOUT = 120_000;

async function scenario(kind: Kind, fault: (receiver: Receiver, proxy: TcpProxy) => Promise<void>): Promise<void> {
  const namespace = `bt_dur_${kind}_${process.pid}_${Date.now().toString(36)}`;
  const sink = await startSinkServer();
  const proxy = await startTcpProxy(kind === 'postgres' ? 5432 : 6379);
  const receiver = new Receiver(kind, proxy.port, namespace, sink.url);
  cleanups.push(() => sink.close(), () => proxy.close(), () => receiver.stop('SIGKILL'), () => receiver.cleanup(), () => dropNamespace(kind, namespace));
  await receiver.start();
  let faulted = false;
  const { acknowledged, answers } = await provider({
    url: () => receiver.url,
    count: 160,
    concurrency: 12,
    batch: (i) => 1 + (i % 7),
    during: async (sent) => {
      if (!faulted && sent >= 50) {
        faulted = true;
        await fault(receiver, proxy);
      }
    },
  });
  expect(faulted).toBe(true);
  // Everything acknowledged must end in both sinks, or be recorded as dead.
  const store = await openStore(kind, namespace);
  cleanups.push(() => store.close());
  const missing = async () => {
    const dead = new Set((await store.outbox.deadLetters()).map((d) => d.event.id));
    const file = receiver.fileIds();
    return [...acknowledged].filter((id) => !dead.has(id) && (!file.has(id) || !sink.ids.has(id)));
  };
  await until(async () => (await missing()).length === 0, 60_000);
  expect(await missing()).toEqual([]);
  expect(acknowledged.size).toBeGreaterThan(300);
  // Duplicates only by event id: the sinks hold no event the provider did not get acknowledged
  // (it retried every webhook until a 2xx, so everything it sent was acknowledged in the end).
  const strangers = [...receiver.fileIds().keys(), ...sink.ids.keys()].filter((id) => !acknowledged.has(id));
  expect(strangers).toEqual([]);
  console.log(`[durability ${kind}] ${acknowledged.size} events acknowledged; answers ${JSON.stringify(Object.fromEntries(answers))}`);
}

for (const kind of ['postgres', 'redis'] as const) {
  describeIf(available[kind], SKIP_REASONS[kind as keyof typeof SKIP_REASONS], `durable ingest on ${kind}: zero acknowledged events missing`, () => {
    it('SIGKILL during load, then a restart', async () => {
      await scenario(kind, async (receiver) => {
        await receiver.stop('SIGKILL');
        await receiver.start();
      });
    }, SCENARIO_TIMEOUT);

    it('SIGTERM during load, then a restart', async () => {
      await scenario(kind, async (receiver) => {
        await receiver.stop('SIGTERM');
        await receiver.start();
      });
    }, SCENARIO_TIMEOUT);

    it('the store cut for 3 s through a TCP proxy', async () => {
      await scenario(kind, async (_receiver, proxy) => {
        proxy.cut();
        setTimeout(() => proxy.restore(), 3_000);
      });
    }, SCENARIO_TIMEOUT);
  });
}
