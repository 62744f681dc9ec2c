/**
 * Fastify: register the plugin on its route. It is encapsulated, so its raw-bytes body parser
 * applies to the webhook route only.
 *
 *   META_APP_SECRET=… META_VERIFY_TOKEN=… node --import tsx examples/fastify.ts
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createTracker, type Tracker } from 'bluetick';
import { bluetickFastify } from 'bluetick/fastify';

/** Settings of this example (from the environment by default). */
export interface ExampleOptions {
  appSecret?: string;
  verifyToken?: string;
  port?: number;
}

/** Starts the app (port 0: any free port) and returns its URL, tracker and a stop function. */
export async function start(options: ExampleOptions = {}): Promise<{ url: string; tracker: Tracker; app: FastifyInstance; stop: () => Promise<void> }> {
  const tracker = createTracker();
  tracker.on('message', (message) => {
    if (message.interaction) console.log(`button "${message.interaction.title}" on ${message.context?.messageId}`);
  });
  const app = Fastify();
  await app.register(bluetickFastify, {
    path: '/webhooks/whatsapp',
    cloud: {
      appSecret: options.appSecret ?? process.env.META_APP_SECRET ?? '',
      verifyToken: options.verifyToken ?? process.env.META_VERIFY_TOKEN ?? '',
    },
    tracker,
  });
  const url = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  return {
    url,
    tracker,
    app,
    stop: async () => {
      await app.close();
      await tracker.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await start({ port: Number(process.env.PORT ?? 3000) });
  console.log(`listening on ${url}/webhooks/whatsapp`);
}
