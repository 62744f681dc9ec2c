import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createTracker, normalize, SinkError } from '../../src/index.js';
import { callbackSink } from '../../src/sinks/callback.js';
import { redisStore } from '../../src/storage/redis/index.js';
import { ownFixture } from '../helpers/fixtures.js';
import { REDIS_URL, redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { deleteUnder, testClient } from '../storage/redis-helpers.js';
import { runCli } from './helpers.js';

const up = await redisAvailable();

describeIf(up, SKIP_REASONS.redis, 'bluetick dead-letters --store redis://', () => {
  const prefix = `bt-dl-${randomUUID().slice(0, 8)}:`;
  afterAll(async () => {
    const client = testClient();
    await deleteUnder(client, prefix);
    client.disconnect();
  });

  it('lists what a sink kept refusing, and replays it into the outbox for the next receiver', async () => {
    const refusing = callbackSink(
      () => {
        throw new SinkError('http_400', 'receiver said 400: bad schema', { retryable: false });
      },
      { name: 'crm' },
    );
    const tracker = createTracker({ store: redisStore({ url: REDIS_URL, prefix }), sinks: [refusing], dispatch: { onError: () => undefined } });
    const events = normalize(ownFixture('cloud/statuses.json')).events;
    await tracker.ingest(events);
    await tracker.dispatcher?.flush();
    await tracker.close();
    const store = `${REDIS_URL}?prefix=${prefix}`;

    const list = await runCli(['dead-letters', '--store', store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}crm +\S+ +status +non_retryable +1 /m);
    expect(list.stdout).toContain('receiver said 400: bad schema');
    expect(list.stdout).toMatch(new RegExp(`${events.length} dead letter\\(s\\)`));

    const json = (await runCli(['dead-letters', '--store', store, '--sink', 'crm', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: { id: string } });
    expect(json.map((d) => d.event.id).sort()).toEqual(events.map((e) => e.id).sort());

    const replay = await runCli(['dead-letters', '--store', store, '--sink', 'crm', '--replay']);
    expect(replay.stdout).toMatch(new RegExp(`replayed ${events.length} dead letter`));
    expect((await runCli(['dead-letters', '--store', store])).stdout).toMatch(/no dead letters/);

    // The next receiver with a working "crm" sink delivers them.
    const got: string[] = [];
    const next = createTracker({ store: redisStore({ url: REDIS_URL, prefix }), sinks: [callbackSink((batch) => void got.push(...batch.map((e) => e.id)), { name: 'crm' })], dispatch: { recoverEveryMs: 50 } });
    for (let i = 0; i < 100 && got.length < events.length; i++) await new Promise((r) => setTimeout(r, 20));
    await next.close();
    expect(got.sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('refuses the memory store (its outbox lives in its receiver) with exit 1', async () => {
    const r = await runCli(['dead-letters']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/memory store's outbox/);
  });
});
