/**
 * Express: mount bluetick on its route BEFORE express.json(), so it sees the raw bytes Meta
 * signed. The rest of the app keeps its JSON parsing.
 *
 *   META_APP_SECRET=… META_VERIFY_TOKEN=… node --import tsx examples/express.ts
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createTracker, type Tracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

/** Settings of this example (from the environment by default). */
export interface ExampleOptions {
  appSecret?: string;
  verifyToken?: string;
  port?: number;
}

/** Builds the app: the webhook route, then the app's own JSON routes. */
export function createApp(tracker: Tracker, options: ExampleOptions = {}): express.Express {
  const app = express();
  app.use(
    bluetickExpress({
      path: '/webhooks/whatsapp',
      cloud: {
        appSecret: options.appSecret ?? process.env.META_APP_SECRET ?? '',
        verifyToken: options.verifyToken ?? process.env.META_VERIFY_TOKEN ?? '',
      },
      tracker,
    }),
  );
  app.use(express.json()); // after bluetick: it would otherwise consume the signed bytes
  app.get('/messages/:id', async (req, res) => {
    res.json((await tracker.getState(req.params.id)) ?? { status: 'unknown' });
  });
  return app;
}

/** Starts the app (port 0: any free port) and returns its URL, tracker and a stop function. */
export async function start(options: ExampleOptions = {}): Promise<{ url: string; tracker: Tracker; stop: () => Promise<void> }> {
  const tracker = createTracker();
  tracker.on('transition', ({ after }) => console.log(`${after.messageId} → ${after.status}`));
  const server = createApp(tracker, options).listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tracker,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tracker.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await start({ port: Number(process.env.PORT ?? 3000) });
  console.log(`listening on ${url}/webhooks/whatsapp`);
}
