/**
 * docs/getting-started.md, step 7: the tracker on a shared PostgreSQL store.
 *
 * @sample run
 * @sample-needs postgres
 */
import { createTracker } from 'bluetick';
import { postgresStore } from 'bluetick/postgres';
const tracker = createTracker({ store: postgresStore({ connectionString: process.env.DATABASE_URL! }) });

export default tracker;
