/**
 * docs/postgres.md: the store on its own pool (or yours), and PGlite, run against a throwaway
 * database.
 *
 * @sample run
 * @sample-needs postgres
 */
import { createTracker } from 'bluetick';
import { postgresStore } from 'bluetick/postgres';

// The store creates (and close() ends) its own pg.Pool; `pg` is imported only in this case.
const store = postgresStore({ connectionString: process.env.DATABASE_URL!, max: 10, schema: 'whatsapp' });
// Or reuse yours (never ended by the store): postgresStore({ pool, tablePrefix: 'wa_' }) / postgresStore({ client })
const tracker = createTracker({ store });
await tracker.ready(); // loads pg, migrates, pings: fails fast on a configuration mistake

await tracker.close();
