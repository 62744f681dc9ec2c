/**
 * docs/recipes.md: Cloudflare Workers. Secrets come from `env`, so the handler is built on the first request.
 *
 * @sample run
 * @sample-fetch default
 */
import type { NormalizeResult } from 'bluetick';
import { createFetchHandler } from 'bluetick/web';

interface Env {
  META_APP_SECRET: string;
  META_VERIFY_TOKEN: string;
  EVENTS: { send(body: unknown): Promise<void> }; // a Cloudflare Queue binding
}

let handler: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createFetchHandler({
      cloud: { appSecret: env.META_APP_SECRET, verifyToken: env.META_VERIFY_TOKEN },
      // No long-lived memory here: hand the verified events to a queue (awaited, so a failure
      // answers 503 and Meta retries) and run the tracker with a shared store in its consumer.
      onEvents: (result: NormalizeResult) => env.EVENTS.send(result.events),
    });
    return handler(request);
  },
};
