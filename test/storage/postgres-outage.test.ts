/**
 * PostgreSQL going away mid-run, through a TCP proxy the test cuts: typed StorageErrors reach the
 * caller (tracker.ingest rejects, the webhook handler answers 503), no merge is half-applied, and
 * the store recovers by itself once the database is reachable again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import type { StatusEvent } from '../../src/event/types.js';
import { createWebhookHandler } from '../../src/http/handler.js';
import { postgresStore, type PostgresStore } from '../../src/storage/postgres/index.js';
import { observation } from '../../src/testing/index.js';
import { createTracker } from '../../src/tracking/index.js';
import { merge } from '../../src/tracking/merge.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from './multiprocess/tcp-proxy.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('cut');
let proxy: TcpProxy;
let store: PostgresStore;

beforeAll(async () => {
  if (!available) return;
  proxy = await startTcpProxy(Number(new URL(POSTGRES_URL).port || 5432));
  const url = new URL(POSTGRES_URL);
  url.port = String(proxy.port);
  store = postgresStore({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 1000 }, { schema });
  await store.migrate();
});
afterAll(async () => {
  if (!available) return;
  await store.close();
  await proxy.close();
  await dropSchema(schema);
});

function statusEvent(messageId: string, status: StatusEvent['status'], at: number): StatusEvent {
  const iso = new Date(at * 1000).toISOString();
  return { schemaVersion: 1, id: `${messageId}:${status}`, kind: 'status', provider: 'onprem', accountId: null, phoneNumberId: null, occurredAt: iso, receivedAt: iso, messageId, recipientId: '1555', status, providerStatus: status, errors: [] };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return null;
}

describeIf(available, SKIP_REASONS.postgres, 'postgresStore when the connection is cut', () => {
  it('ingest rejects with StorageError unavailable while cut, and works again after restore', async () => {
    const tracker = createTracker({ store });
    expect((await tracker.ingest([statusEvent('cut-1', 'sent', 10)])).transitions).toBe(1);
    proxy.cut();
    const err = await caught(tracker.ingest([statusEvent('cut-1', 'delivered', 20)]));
    expect(err).toBeInstanceOf(StorageError);
    expect(['unavailable', 'timeout']).toContain((err as StorageError).code);
    expect((err as StorageError).cause).toBeDefined();
    proxy.restore();
    // The provider retries the same payload: it is processed now, exactly once.
    const report = await tracker.ingest([statusEvent('cut-1', 'delivered', 20)]);
    expect(report.transitions).toBe(1);
    expect((await tracker.getState('cut-1'))?.status).toBe('delivered');
    await tracker.close();
  });

  it('the webhook handler answers 503 while the database is unreachable, 200 after', async () => {
    const tracker = createTracker({ store });
    const handler = createWebhookHandler({ onprem: { token: 'shared-token', header: 'x-bluetick-token' }, tracker, logger: { warn() {}, error() {}, info() {} } as never });
    const body = JSON.stringify({ statuses: [{ id: 'cut-http', recipient_id: '1555', status: 'read', timestamp: '1700000000' }] });
    const request = { method: 'POST', url: '/webhook', headers: { 'content-type': 'application/json', 'x-bluetick-token': 'shared-token' }, rawBody: body };
    proxy.cut();
    const down = await handler(request);
    expect(down.status).toBe(503);
    proxy.restore();
    const up = await handler(request);
    expect(up.status).toBe(200);
    expect((await tracker.getState('cut-http'))?.status).toBe('read');
    await tracker.close();
  });

  it('merges in flight when the link drops are all-or-nothing: each state is the old or the new join', async () => {
    const bases = Array.from({ length: 120 }, (_, i) => observation(`half-${i}`, 'sent', 1_700_000_000 + i, { pricing: { model: 'PMP' } }));
    await store.mergeMany(bases);
    const updates = bases.map((b, i) =>
      observation(b.observation.messageId, i % 2 ? 'read' : 'failed', 1_700_000_100 + i, {
        errors: i % 2 ? [] : [{ code: '131026', class: 'permanent', title: 'undeliverable' }],
        pricing: { model: 'PMP', category: 'marketing' },
      }),
    );
    let done = 0;
    let cutNow: () => void = () => undefined;
    const tenDone = new Promise<void>((resolve) => (cutNow = resolve));
    const settled = updates.map((u, i) =>
      (i % 4 === 0 ? store.mergeMany([u]) : store.merge(u.key, u.observation)).then(
        () => (++done === 10 && cutNow(), true),
        (e: unknown) => e,
      ),
    );
    await tenDone; // cut with some merges done, some on the wire, some queued
    proxy.cut();
    const outcomes = await Promise.all(settled);
    proxy.restore();
    const failures = outcomes.filter((o) => o !== true);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(updates.length);
    for (const f of failures) expect(f).toBeInstanceOf(StorageError);
    let applied = 0;
    for (let i = 0; i < bases.length; i++) {
      const before = bases[i]!.observation;
      const after = merge(before, updates[i]!.observation);
      const stored = await store.get(bases[i]!.key);
      if (outcomes[i] === true) expect(stored).toEqual(after);
      else expect([before, after]).toContainEqual(stored);
      if (JSON.stringify(stored) !== JSON.stringify(before)) applied++;
    }
    console.log(`[postgres outage] ${failures.length} of ${updates.length} merges failed with the cut; ${applied} applied`);
  });
});
