/**
 * docs/recipes.md: Next.js Pages Router, pages/api/whatsapp.ts.
 *
 * @sample run
 * @sample-serve default
 */
import { createTracker } from 'bluetick';
import { createNodeListener } from 'bluetick/node';

const tracker = createTracker();

export const config = { api: { bodyParser: false } }; // else Next.js parses the JSON and the signed bytes are gone
export default createNodeListener({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});
