/**
 * Durable listeners on real stores: a process commits a batch and stops before its listeners ran
 * (its listener records stay leased to it); once the lease ends, a tracker with listeners on the
 * same store runs them from the records, marked `recovered`, and acks them.
 */
import { afterEach, expect, it } from 'vitest';
import type { StateStore } from '../../src/index.js';
import { stateKey } from '../../src/state/key.js';
import { observe } from '../../src/state/observe.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { postgresAvailable, redisAvailable, POSTGRES_URL, REDIS_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { messageEvent, statusEvent } from './make-event.js';

const stores: Record<string, { up: boolean; open: (ns: string) => Promise<StateStore>; drop: (ns: string) => Promise<void> }> = {
  redis: {
    up: await redisAvailable(),
    open: async (ns) => (await import('../../src/storage/redis/index.js')).redisStore({ url: REDIS_URL, prefix: `${ns}:` }),
    drop: async (ns) => {
      const { deleteUnder, testClient } = await import('../storage/redis-helpers.js');
      const client = testClient();
      await deleteUnder(client, `${ns}:`);
      client.disconnect();
    },
  },
  postgres: {
    up: await postgresAvailable(),
    open: async (ns) => (await import('../../src/storage/postgres/index.js')).postgresStore({ connectionString: POSTGRES_URL, schema: ns, max: 2 } as never),
    drop: async (ns) => (await import('../storage/postgres-helpers.js')).dropSchema(ns),
  },
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

for (const [name, kind] of Object.entries(stores)) {
  describeIf(kind.up, SKIP_REASONS[name as keyof typeof SKIP_REASONS], `listener recovery on ${name}`, () => {
    it('runs the listeners a stopped process left, once, marked recovered', async () => {
      const ns = `bt_lr_${process.pid}_${Date.now().toString(36)}`;
      const committer = await kind.open(ns);
      cleanups.push(() => kind.drop(ns));
      const sent = statusEvent({ messageId: `wamid.${ns}`, status: 'sent', at: 10 });
      const obs = observe(sent);
      // "Process A" commits with listener records leased to it for 300 ms, then stops.
      await committer.ingest({ events: [sent, messageEvent(`in.${ns}`)], merges: [{ key: stateKey(obs), observation: obs, event: 0 }], claimTtlMs: 60_000, outbox: { consumers: [LISTENERS_CONSUMER], leaseMs: 300 } });
      await committer.close();
      // "Process B": listeners, and a recovery loop.
      const store = await kind.open(ns);
      const tracker = createTracker({ store, recoverEveryMs: 100 });
      cleanups.push(() => tracker.close());
      const got: string[] = [];
      const both = new Promise<void>((resolve) => {
        const done = () => got.length === 2 && resolve();
        tracker.on('transition', (t) => (got.push(`${t.after.status}:${t.recovered === true}:${t.before === null}`), done()));
        tracker.on('message', (m) => (got.push(m.id), done()));
      });
      await both;
      expect(got.sort()).toEqual([`in.${ns}`, 'sent:true:true']);
      await new Promise((r) => setTimeout(r, 400)); // a second round finds nothing more
      expect(got).toHaveLength(2);
      expect((await store.outbox.stats()).pending[LISTENERS_CONSUMER] ?? 0).toBe(0);
    });
  });
}
