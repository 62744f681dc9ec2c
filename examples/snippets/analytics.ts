/**
 * docs/analytics.md: the funnel, a conversion, and the PostgreSQL store's analytics and retention,
 * run against a throwaway database.
 *
 * @sample run
 * @sample-needs postgres
 */
import pg from 'pg';
import { createTracker } from 'bluetick';

// What the page assumes you already have.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const schema = 'wa_analytics';
const messageId = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI';

async function theFunnel(tracker: ReturnType<typeof createTracker>): Promise<void> {
const report = await tracker.funnel({ from: '2025-01-01', to: '2025-02-01', campaign: 'jan-promo', groupBy: 'day' });
const { rates, latency, failures, interactions, revenue, buckets } = report;
console.log(rates.delivered);         // delivered / sent
console.log(latency.sentToRead.p90);  // ms
console.log(failures.byCode);         // [{ code: '131026', class: 'permanent', count: 12 }, …]
console.log(interactions);            // [{ kind: 'button_reply', replyId: 'yes', title: 'Yes', replies, messages, clickThroughRate }]
console.log(revenue);                 // [{ campaign: 'jan-promo', currency: 'BRL', value: 1234.5, conversions: 31 }]
console.log(buckets);                 // one FunnelStats per UTC day that holds states
}

async function aConversion(tracker: ReturnType<typeof createTracker>): Promise<void> {
await tracker.recordConversion(messageId, { value: 49.9, currency: 'BRL', id: 'order-1042' });
}

import { postgresStore } from 'bluetick/postgres';
const store = postgresStore({ pool, schema }); // analytics are built in
const tracker = createTracker({ store });

await theFunnel(tracker);
await aConversion(tracker);
await store.retention({ olderThan: 90 * 86_400_000, batchSize: 5000, archive: true });
// → { states, archived, interactions, conversions, deadLetters }
await tracker.close();
await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await pool.end();
