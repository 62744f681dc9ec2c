/**
 * docs/recipes.md: Bun and Deno serve a Fetch handler directly.
 *
 * @sample run
 * @sample-call serveBun serveDeno
 */
import { createTracker } from 'bluetick';
import { createFetchHandler } from 'bluetick/web';

// Ambient declarations of the two runtimes' servers, so this file type-checks under Node's types.
declare const Bun: { serve(options: { port: number; fetch: (request: Request) => Promise<Response> }): unknown };
declare const Deno: { serve(options: { port: number }, handler: (request: Request) => Promise<Response>): unknown };

const tracker = createTracker();
const handler = createFetchHandler({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});

export function serveBun() {
  return Bun.serve({ port: 3000, fetch: handler });
}

export function serveDeno() {
  return Deno.serve({ port: 3000 }, handler);
}
