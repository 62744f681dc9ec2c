/**
 * A TCP proxy on 127.0.0.1 in front of the real Redis that a test can break: `cut()` resets every
 * connection and refuses new ones (Redis down), `stall()` keeps connections open but forwards
 * nothing (a black-holed network), `restore()` heals both.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface RedisProxy {
  readonly url: string;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

type Mode = 'open' | 'cut' | 'stalled';

export async function startRedisProxy(target = { host: '127.0.0.1', port: 6379 }): Promise<RedisProxy> {
  let mode: Mode = 'open';
  const pairs = new Set<{ client: Socket; upstream: Socket; held: Buffer[]; replies: Buffer[] }>();

  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target);
    const pair = { client, upstream, held: [] as Buffer[], replies: [] as Buffer[] };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => (mode === 'open' ? upstream.write(d) : pair.held.push(d)));
    upstream.on('data', (d: Buffer) => (mode === 'open' ? client.write(d) : pair.replies.push(d)));
    client.on('error', forget);
    upstream.on('error', forget);
    client.on('close', forget);
    upstream.on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      mode = 'cut';
      for (const p of pairs) {
        p.client.resetAndDestroy();
        p.upstream.destroy();
      }
      pairs.clear();
    },
    stall() {
      mode = 'stalled';
    },
    restore() {
      mode = 'open';
      // Bytes held while stalled go through now, in order: the client sees late answers (it may
      // have given up on them already), never a broken stream.
      for (const p of pairs) {
        for (const d of p.replies.splice(0)) p.client.write(d);
        for (const d of p.held.splice(0)) p.upstream.write(d);
      }
    },
    async close() {
      mode = 'cut';
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
