/**
 * docs/recipes.md: Next.js App Router, app/api/whatsapp/route.ts.
 *
 * @sample run
 * @sample-needs postgres
 * @sample-fetch POST
 */
import { createTracker } from 'bluetick';
import { postgresStore } from 'bluetick/postgres';
import { createFetchHandler } from 'bluetick/web';

const tracker = createTracker({ store: postgresStore({ connectionString: process.env.DATABASE_URL! }) });
const handler = createFetchHandler({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});

export const runtime = 'nodejs'; // postgresStore needs Node's `pg`
export { handler as GET, handler as POST };
