/**
 * Plain Node: `createNodeListener` is an `(req, res)` listener that reads the raw body itself.
 * Here with all three providers on one route: each request is verified by the credential it
 * carries (Meta signature, WASender secret header, On-Premises token).
 *
 *   META_APP_SECRET=… WASENDER_SECRET=… ONPREM_TOKEN=… node --import tsx examples/node-server.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTracker, type Tracker } from 'bluetick';
import { createNodeListener } from 'bluetick/node';

/** Settings of this example (from the environment by default). */
export interface ExampleOptions {
  appSecret?: string;
  wasenderSecret?: string;
  onpremToken?: string;
  port?: number;
}

/** Starts the server (port 0: any free port) and returns its URL, tracker and a stop function. */
export async function start(options: ExampleOptions = {}): Promise<{ url: string; tracker: Tracker; stop: () => Promise<void> }> {
  const tracker = createTracker();
  const listener = createNodeListener({
    cloud: { appSecret: options.appSecret ?? process.env.META_APP_SECRET ?? '' },
    wasender: { secret: options.wasenderSecret ?? process.env.WASENDER_SECRET ?? '' },
    onprem: { token: options.onpremToken ?? process.env.ONPREM_TOKEN ?? '' }, // sent as ?token=…
    tracker,
  });
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/webhooks/whatsapp')) return void listener(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
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
