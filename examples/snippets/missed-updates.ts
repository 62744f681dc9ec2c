/**
 * The code of docs/missed-updates.md, type-checked with the repository
 * (test/docs/samples.test.ts checks that every `ts` block of that page appears in a snippet file)
 * and run by test/docs/run-samples.test.ts through `demo()`: a memory tracker, the schedule
 * started and stopped (no request is made: no run is due), the listeners, and a run over a send
 * log held in memory that stands for your database.
 *
 * @sample run
 * @sample-call demo
 */
import { createTracker, type Tracker } from 'bluetick';
import { createReconciler, wasenderStatusSource, type StatusSource } from 'bluetick/reconcile';
import { stateKey } from 'bluetick/state';

/** Stands for your own database client. */
interface Db {
  query(sql: string, params: unknown[]): Promise<Array<{ wamid: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at: Date }>>;
}

export async function reconcileInYourProcess(tracker: Tracker): Promise<void> {
  // --- docs: in your process
  const reconciler = createReconciler({
    tracker, // the one your webhook handler uses: its listeners and sinks hear what polls change
    source: wasenderStatusSource({ apiKey: process.env.WASENDER_API_KEY! }),
    olderThan: 15 * 60_000, // quiet for 15 minutes: lost, not late
    statuses: ['pending', 'sent'], // progress to look for
    limit: 10_000,
    concurrency: 4,
    ratePerSecond: 5, // never exceeded, retries included
  });

  reconciler.start({ everyMs: 3_600_000, onReport: (r) => console.log(r), onError: (e) => console.error(e) });
  // … and on shutdown:
  await reconciler.stop();
  // --- end
}

export function listenForPolls(tracker: Tracker): void {
  // --- docs: listening
  tracker.on('transition', ({ after, origin }) => {
    if (origin === 'poll') console.log(after.messageId, 'caught up by a poll:', after.status);
  });
  tracker.on('change', ({ after, event, origin }) => {
    if (origin === 'poll' && event.providerStatus === 'expired') console.log(after.messageId, 'expired at', after.status);
  });
  // --- end
}

export function yourOwnSource(db: Db): StatusSource {
  // --- docs: own source
  const sendLog: StatusSource = {
    name: 'send-log',
    batchSize: 100, // one query for 100 states
    covers: (state) => state.provider === 'cloud' && state.participantId === null,
    async check(states) {
      const rows = await db.query('SELECT wamid, status, at FROM sends WHERE wamid = ANY($1)', [states.map((s) => s.messageId)]);
      const byId = new Map(rows.map((r) => [r.wamid, r]));
      return states.map((s) => {
        const row = byId.get(s.messageId);
        if (row === undefined) return { key: stateKey(s), outcome: 'notFound' } as const;
        return { key: stateKey(s), outcome: 'status', status: row.status, providerStatus: row.status, occurredAt: row.at } as const;
      });
    },
  };
  // --- end
  return sendLog;
}

/** Runs the samples above over a memory tracker and a send log held in memory. */
export async function demo(): Promise<void> {
  const tracker = createTracker();
  await tracker.track({ provider: 'cloud', messageId: 'wamid.LOST', recipientId: '16505551234', sentAt: Date.now() - 3_600_000 });
  await reconcileInYourProcess(tracker);
  listenForPolls(tracker);
  const rows = [{ wamid: 'wamid.LOST', status: 'read' as const, at: new Date(Date.now() - 1_800_000) }];
  const db: Db = { query: async (_sql, params) => rows.filter((r) => (params[0] as string[]).includes(r.wamid)) };
  const report = await createReconciler({ tracker, source: yourOwnSource(db) }).run();
  if (report.changed !== 1 || (await tracker.getState('wamid.LOST'))?.status !== 'read') throw new Error(`the send log did not reconcile: ${JSON.stringify(report)}`);
  await tracker.close();
}
