import { defineConfig, type Options } from 'tsup';

/**
 * One entry per public subpath (`bluetick/<name>`). `test/package.test.ts` checks that
 * package.json's `exports` map lists exactly these. Optional peers (pg, ioredis, express, …)
 * stay external and are loaded only by the subpath that needs them.
 */
export const entries: Record<string, string> = {
  index: 'src/index.ts',
  express: 'src/http/express.ts',
  fastify: 'src/http/fastify.ts',
  node: 'src/http/node.ts',
  web: 'src/http/web.ts',
  lambda: 'src/http/lambda.ts',
  testing: 'src/testing/index.ts',
  state: 'src/state/index.ts',
  metrics: 'src/metrics/index.ts',
  reconcile: 'src/reconcile/index.ts',
  postgres: 'src/storage/postgres/index.ts',
  redis: 'src/storage/redis/index.ts',
  'sinks/ndjson': 'src/sinks/ndjson.ts',
  'sinks/http': 'src/sinks/http.ts',
  'sinks/firehose': 'src/sinks/firehose.ts',
  'sinks/bullmq': 'src/sinks/bullmq.ts',
  'sinks/callback': 'src/sinks/callback.ts',
  'sinks/rabbitmq': 'src/sinks/rabbitmq.ts',
  'sinks/nats': 'src/sinks/nats.ts',
  'sinks/sqs': 'src/sinks/sqs.ts',
  cloudevents: 'src/sinks/cloudevents.ts',
  privacy: 'src/privacy/index.ts',
};

const shared: Options = {
  entry: entries,
  dts: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  splitting: true,
  // Keep `node:` specifiers as written: tsup's default rewrites `node:crypto` to `crypto`, which
  // edge runtimes with Node compatibility (Workers' nodejs_compat, Deno) only resolve prefixed.
  removeNodeProtocol: false,
};

export default defineConfig([
  { ...shared, format: ['esm'] },
  {
    ...shared,
    format: ['cjs'],
    // p-retry (and its one dependency) is ESM-only; Node before 20.19 cannot require() ESM, so the
    // CommonJS build carries its own copy. The ESM build imports the installed package.
    noExternal: ['p-retry', 'is-network-error'],
  },
  // The `bluetick` command (package.json `bin`): ESM only, not an importable subpath.
  { entry: { cli: 'src/cli/main.ts' }, format: ['esm'], target: 'node20', sourcemap: true, dts: false, removeNodeProtocol: false },
]);
