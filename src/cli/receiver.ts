/**
 * A local webhook receiver: `node:http` + `createNodeListener`, on 127.0.0.1 by default and an
 * ephemeral port when asked for port 0. Used by `bluetick listen` and the demo.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener } from '../http/node.js';
import type { WebhookHandlerOptions } from '../http/types.js';

/** A running receiver. */
export interface Receiver {
  /** Base URL of the webhook route, e.g. `http://127.0.0.1:41231/webhooks/whatsapp`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The route; other paths answer 404. Default `/webhooks/whatsapp`. */
  path?: string;
  handler: WebhookHandlerOptions;
  /** Called with every answer's status code (the report counts them). */
  onResponse?: (status: number) => void;
}

/**
 * Starts the receiver and resolves once it listens.
 *
 * @example
 * ```ts
 * const receiver = await startReceiver({ handler: { cloud: { appSecret, verifyToken }, tracker } });
 * console.log(receiver.url);
 * await receiver.close();
 * ```
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const path = options.path ?? '/webhooks/whatsapp';
  const listener = createNodeListener(options.handler);
  const server = createServer((req, res) => {
    if (options.onResponse) res.once('finish', () => options.onResponse?.(res.statusCode));
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: the webhook route is ${path}\n`);
      return;
    }
    void listener(req, res);
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
