/**
 * One receiver of bench/receiver.ts, in its own process (so the load generator gets the other
 * core). argv: <kind> <port-file>. Kinds:
 *
 * - `limit`: what every receiver must do at least: read the body, verify Meta's HMAC
 *   (`createHmac` + `timingSafeEqual`, bench/hand-verified.ts), `JSON.parse`, answer 200.
 * - `handwritten-pg`: `limit` plus what a user would otherwise write on PostgreSQL: ONE multi-row
 *   `INSERT … ON CONFLICT (message_id) DO UPDATE` of (message id, status, time) per request, on a
 *   pool of the same size as bluetick's.
 * - `handwritten-pg-durable`: that handler keeping bluetick's promises by hand: the event ids
 *   claimed in a table, the statuses upserted for what was claimed, the events appended to an
 *   outbox table, in one statement per request.
 * - `handwritten-memory`: `limit` plus the least an in-memory tracker does (bench/tracker.ts's bare
 *   loop): each status's id deduped in a `Set`, the message's highest status kept in a `Map`, both
 *   simply cleared when the `Map` reaches 100,000 messages (the memory store's default size): the
 *   least work that keeps a long-running process bounded (unbounded, the tables' growth made it
 *   slower: ×0.34–0.40 of `limit` against ×0.38–0.62 bounded, 2026-12-02).
 * - `node-listener`: bluetick's `createNodeListener` verifying and normalizing, no tracker
 *   (`onEvents` does nothing): the adapter's own cost.
 * - `bluetick-memory` / `bluetick-postgres` / `bluetick-redis`: the receiver a user mounts:
 *   `createNodeListener` + `createTracker` over that store, with a `transition` listener.
 *
 * Writes `{ port }` to the port file once listening; exits on SIGTERM.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createTracker, type StateStore } from '../../src/index.js';
import { createNodeListener } from '../../src/http/node.js';
import { verifyAndParse } from '../hand-verified.js';
import { BENCH_SECRET } from '../fresh-webhook.js';

export const POOL = 10;
const POSTGRES_URL = process.env.BLUETICK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BLUETICK_REDIS_URL ?? 'redis://127.0.0.1:6379';

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The Cloud statuses webhook the load sends. */
type Parsed = { entry: Array<{ changes: Array<{ value: { statuses?: Array<{ id: string; status: string; timestamp: string }> } }> }> };

/** Verify + parse, or null after answering 401. */
async function verified(req: IncomingMessage, res: Parameters<RequestListener>[1]): Promise<Parsed | null> {
  const parsed = verifyAndParse<Parsed>(await body(req), req.headers['x-hub-signature-256'], BENCH_SECRET);
  if (parsed === null) res.writeHead(401).end();
  return parsed;
}

/**
 * The hand-written PostgreSQL handler: the statuses of the webhook as columns, one statement per
 * request on a pool of bluetick's size, 200 after it. Plain: ONE multi-row upsert of (message id,
 * status, time). Durable (the same promises kept by hand): each event id claimed in a table, the
 * statuses upserted for what was claimed, the events appended to an outbox table, in one statement.
 */
async function handwrittenPg(durable: boolean): Promise<{ handle: RequestListener; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: POOL });
  // Tables of this run's own (dropped at the end), so runs do not measure each other's leftovers.
  const table = `bench_handwritten_${process.pid}`;
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (message_id text PRIMARY KEY, status text NOT NULL, at bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS ${table}_claims (id text PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS ${table}_outbox (id bigserial PRIMARY KEY, event json NOT NULL)`);
  const upsert = `INSERT INTO ${table} (message_id, status, at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, at = excluded.at`;
  const claimUpsertAppend = `WITH c AS (INSERT INTO ${table}_claims (id) SELECT unnest($4::text[]) ON CONFLICT DO NOTHING RETURNING id),
    u AS (INSERT INTO ${table} (message_id, status, at) SELECT x.m, x.s, x.a FROM unnest($4::text[], $1::text[], $2::text[], $3::bigint[]) AS x(id, m, s, a) WHERE x.id IN (SELECT id FROM c)
          ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, at = excluded.at)
    INSERT INTO ${table}_outbox (event) SELECT y.e FROM unnest($4::text[], $5::json[]) AS y(id, e) WHERE y.id IN (SELECT id FROM c)`;
  return {
    handle: (req, res) =>
      void verified(req, res).then(async (b) => {
        if (b === null) return;
        const ids: string[] = [];
        const statuses: string[] = [];
        const ats: number[] = [];
        const eventIds: string[] = [];
        const events: string[] = [];
        for (const e of b.entry) for (const c of e.changes) for (const s of c.value.statuses ?? []) {
          ids.push(s.id);
          statuses.push(s.status);
          ats.push(Number(s.timestamp));
          if (durable) {
            eventIds.push(`${s.id}:${s.status}`);
            events.push(JSON.stringify(s));
          }
        }
        try {
          await pool.query(durable ? claimUpsertAppend : upsert, durable ? [ids, statuses, ats, eventIds, events] : [ids, statuses, ats]);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        } catch {
          res.writeHead(503).end();
        }
      }),
    close: async () => {
      await pool.query(`DROP TABLE IF EXISTS ${table}, ${table}_claims, ${table}_outbox`);
      await pool.end();
    },
  };
}

/** bluetick's memory store holds 100,000 states by default; this handler forgets everything at that size. */
const BOUND = 100_000;
const RANKS: Record<string, number> = { sent: 2, delivered: 3, read: 4, played: 5 };

/** The hand-written in-memory tracker: a `Set` for dedupe, a `Map` of each message's top status. */
function handwrittenMemory(): { handle: RequestListener; close: () => Promise<void> } {
  const seen = new Set<string>();
  const states = new Map<string, { rank: number; at: string }>();
  let changes = 0;
  return {
    handle: (req, res) =>
      void verified(req, res).then((b) => {
        if (b === null) return;
        for (const e of b.entry) for (const c of e.changes) for (const s of c.value.statuses ?? []) {
          const id = `${s.id}:${s.status}:${s.timestamp}`;
          if (states.size >= BOUND) {
            seen.clear();
            states.clear();
          }
          if (seen.has(id)) continue;
          seen.add(id);
          const rank = RANKS[s.status] ?? 0;
          const prev = states.get(s.id);
          if (prev === undefined) states.set(s.id, { rank, at: s.timestamp });
          else if (rank > prev.rank) Object.assign(prev, { rank, at: s.timestamp });
          else continue;
          changes++;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }),
    close: async () => {
      if (changes === 0) console.error('no status was kept');
    },
  };
}

async function listener(kind: string): Promise<{ handle: RequestListener; close: () => Promise<void> }> {
  if (kind === 'limit') {
    return {
      handle: (req, res) => void verified(req, res).then((b) => b && res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')),
      close: async () => undefined,
    };
  }
  if (kind === 'handwritten-memory') return handwrittenMemory();
  if (kind === 'handwritten-pg' || kind === 'handwritten-pg-durable') return handwrittenPg(kind === 'handwritten-pg-durable');
  const logger = { warn: () => undefined, error: (m: string, e?: unknown) => console.error(m, e) };
  if (kind === 'node-listener') {
    return { handle: createNodeListener({ cloud: { appSecret: BENCH_SECRET }, onEvents: () => undefined, logger }), close: async () => undefined };
  }
  let store: StateStore | undefined;
  if (kind === 'bluetick-postgres') {
    const { postgresStore } = await import('../../src/storage/postgres/index.js');
    store = postgresStore({ connectionString: POSTGRES_URL, max: POOL, schema: `bench_${process.pid}` });
  } else if (kind === 'bluetick-redis') {
    const { redisStore } = await import('../../src/storage/redis/index.js');
    store = redisStore({ url: REDIS_URL, prefix: `bench:${process.pid}:` });
  } else if (kind !== 'bluetick-memory') {
    throw new Error(`unknown receiver kind ${kind}`);
  }
  // BENCH_OVERLAP_AT: group commit's `overlapAt`, for A/B runs of it (default: the tracker's).
  const overlapAt = process.env.BENCH_OVERLAP_AT === undefined ? undefined : Number(process.env.BENCH_OVERLAP_AT);
  const tracker = createTracker({ ...(store === undefined ? {} : { store }), ...(overlapAt === undefined ? {} : { groupCommit: { overlapAt } }) });
  let transitions = 0;
  if (process.env.BENCH_NO_LISTENER !== '1') tracker.on('transition', () => void transitions++);
  else transitions = -1;
  await tracker.ready();
  return {
    handle: createNodeListener({ cloud: { appSecret: BENCH_SECRET }, tracker, logger }),
    close: async () => {
      await tracker.close();
      if (transitions === 0) console.error('no transition was emitted');
      await dropBenchData(kind);
    },
  };
}

/** What this run wrote to the real store goes, so the next run starts from the same database. */
async function dropBenchData(kind: string): Promise<void> {
  if (kind === 'bluetick-postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS bench_${process.pid} CASCADE`);
    await client.end();
  } else if (kind === 'bluetick-redis') {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bench:${process.pid}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
}

const [kind = 'limit', portFile] = process.argv.slice(2);
const { handle, close } = await listener(kind);
const server = createServer(handle);
server.keepAliveTimeout = 60_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
// Written whole, then renamed: the parent polls for the file and must never read it half-written.
writeFileSync(`${portFile as string}.tmp`, JSON.stringify({ port: (server.address() as AddressInfo).port }));
renameSync(`${portFile as string}.tmp`, portFile as string);
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void close().finally(() => process.exit(0));
});
