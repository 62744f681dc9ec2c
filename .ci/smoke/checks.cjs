// Runtime checks of the packed tarball, shared by the CommonJS (require.cjs) and the ESM
// (import.mjs) consumers: `load` is `require` or `(s) => import(s)`, so each format loads its own
// build. Copied into a throwaway project that has ONLY the tarball installed (no optional peers):
// every subpath must load there, and a function that needs a peer must name it.
/* global Request, AbortController -- Node 20 globals, not in the shared eslint list */
'use strict';
const assert = require('node:assert/strict');

// The public subpaths; the exports map must offer exactly these (plus ./package.json).
const SUBPATHS = ['.', './express', './fastify', './node', './web', './lambda', './testing', './metrics', './postgres', './redis', './sinks/ndjson', './sinks/http', './sinks/firehose', './sinks/bullmq', './sinks/callback', './sinks/rabbitmq', './sinks/nats', './sinks/sqs', './cloudevents', './state', './reconcile', './privacy'];
const PEERS = ['express', 'fastify', 'pg', '@electric-sql/pglite', 'ioredis', 'bullmq', '@aws-sdk/client-firehose', 'prom-client', 'amqplib', 'nats', '@aws-sdk/client-sqs', '@opentelemetry/api'];

const peerMessage = (subpath, peer) => `${subpath} needs the optional peer dependency \`${peer}\`: npm install ${peer}`;

async function rejection(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function assertNamesPeer(error, subpath, peer, BluetickError) {
  assert.ok(error instanceof BluetickError, `${subpath}: expected a BluetickError, got ${error && error.stack}`);
  assert.ok(String(error.message).includes(peerMessage(subpath, peer)), `${subpath}: the error does not name ${peer}: ${error.message}`);
}

async function runChecks(label, load) {
  // The checks are only meaningful when no peer is resolvable from here (no NODE_PATH, no parent node_modules).
  for (const peer of PEERS) assert.throws(() => require.resolve(peer), /Cannot find module/, `${peer} is resolvable: the smoke project must not have it`);

  const pkg = require('bluetick/package.json');
  const offered = Object.keys(pkg.exports).filter((k) => k !== './package.json').sort();
  assert.deepEqual(offered, [...SUBPATHS].sort(), 'package.json exports differ from the subpaths checked here');

  const mods = {};
  for (const subpath of SUBPATHS) {
    const specifier = subpath === '.' ? 'bluetick' : `bluetick/${subpath.slice(2)}`;
    const mod = await load(specifier);
    const functions = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    assert.ok(functions.length > 0, `${specifier} exports no function`);
    mods[subpath] = mod;
  }
  const core = mods['.'];
  const { BluetickError, NormalizeError, ConfigError } = core;

  // Core: normalize, the schema, a tracker over the memory store.
  const body = JSON.stringify({ statuses: [{ id: 'gBG1', status: 'read', timestamp: '1602535356', recipient_id: '16315553601' }] });
  const result = core.normalize(body);
  assert.equal(result.provider, 'onprem');
  assert.equal(result.events.length, 1);
  assert.equal(result.events[0].status, 'read');
  core.eventSchema.parse(result.events[0]);
  assert.throws(() => core.normalize('nope'), NormalizeError);
  const tracker = core.createTracker();
  const report = await tracker.ingest(result);
  assert.equal(report.accepted, 1);
  assert.equal((await tracker.getState('gBG1')).status, 'read');
  await tracker.close();

  // HTTP: the Web adapter answers a signed Cloud POST (WebCrypto, no framework).
  const cloudBody = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'W1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'P1' }, statuses: [{ id: 'wamid.1', status: 'sent', timestamp: '1700000000', recipient_id: '1555' }] } }] }] });
  const events = [];
  const fetchHandler = mods['./web'].createFetchHandler({ cloud: { appSecret: 'smoke-secret' }, onEvents: (r) => events.push(...r.events) });
  const response = await fetchHandler(new Request('http://localhost/wa', { method: 'POST', body: cloudBody, headers: { 'content-type': 'application/json', 'x-hub-signature-256': core.signMetaPayload(cloudBody, 'smoke-secret') } }));
  assert.equal(response.status, 200);
  assert.equal(events.length, 1);
  const unsigned = await fetchHandler(new Request('http://localhost/wa', { method: 'POST', body: cloudBody }));
  assert.equal(unsigned.status, 401);

  // Framework adapters are created without their framework installed (they only use its types).
  assert.equal(typeof mods['./express'].bluetickExpress({ cloud: { appSecret: 's' }, tracker }), 'function');
  // …and a handler with nowhere to put events refuses to start instead of dropping them.
  assert.throws(() => mods['./web'].createFetchHandler({ cloud: { appSecret: 's' } }), (error) => error.code === 'no_consumer');
  assert.equal(typeof mods['./fastify'].bluetickFastify, 'function');

  // Optional peers used without being installed: the error names the package to install.
  const event = result.events[0];
  const context = { signal: new AbortController().signal, attempt: 1 };

  const pg = mods['./postgres'].postgresStore({ connectionString: 'postgres://127.0.0.1:9/none' });
  assertNamesPeer(await rejection(pg.ready()), 'bluetick/postgres', 'pg', BluetickError);
  await pg.close();

  const redis = mods['./redis'].redisStore({ url: 'redis://127.0.0.1:9' });
  assertNamesPeer(await rejection(redis.ready()), 'bluetick/redis', 'ioredis', BluetickError);
  await redis.close();

  const bull = mods['./sinks/bullmq'].bullmqSink({ queueName: 'smoke', connection: { host: '127.0.0.1', port: 9 } });
  const bullError = await rejection(bull.write([event], context));
  assertNamesPeer(bullError, 'bluetick/sinks/bullmq', 'bullmq', BluetickError);
  assert.ok(bullError instanceof ConfigError && bullError.code === 'missing_dependency', `bullmq: ${bullError.code}`);

  const client = { send: async () => assert.fail('the Firehose client must not be reached') };
  const firehose = mods['./sinks/firehose'].firehoseSink({ client, deliveryStreamName: 'smoke' });
  assertNamesPeer(await rejection(firehose.write([event], context)), 'bluetick/sinks/firehose', '@aws-sdk/client-firehose', BluetickError);

  const rabbit = mods['./sinks/rabbitmq'].rabbitmqSink({ url: 'amqp://127.0.0.1:9', exchange: 'smoke' });
  assertNamesPeer(await rejection(rabbit.write([event], context)), 'bluetick/sinks/rabbitmq', 'amqplib', BluetickError);

  const nats = mods['./sinks/nats'].natsSink({ servers: '127.0.0.1:9' });
  assertNamesPeer(await rejection(nats.write([event], context)), 'bluetick/sinks/nats', 'nats', BluetickError);

  const sqs = mods['./sinks/sqs'].sqsSink({ client, queueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/smoke' });
  assertNamesPeer(await rejection(sqs.write([event], context)), 'bluetick/sinks/sqs', '@aws-sdk/client-sqs', BluetickError);

  // Formats need no peer: a CloudEvent from the cloudevents subpath, and through the callback sink.
  const ce = mods['./cloudevents'].toCloudEvent(event);
  assert.equal(ce.specversion, '1.0');
  assert.equal(ce.type, 'com.bluetick.status.read');
  const seen = [];
  await mods['./sinks/callback'].callbackSink((batch) => void seen.push(...batch), { format: 'cloudevents' }).write([event], context);
  assert.equal(seen[0].id, event.id);
  assert.ok(mods['./sinks/http'].generateWebhookSecret().startsWith('whsec_'));

  // Redaction needs no peer: a masked copy, the original untouched.
  const masked = mods['./privacy'].createRedactor({ phone: 'mask' })(event);
  assert.notEqual(masked.recipientId, event.recipientId);
  assert.equal(event.recipientId, '16315553601');

  // Reconciliation needs no peer (global fetch): a source without its key is a ConfigError.
  const reconcile = mods['./reconcile'];
  assert.throws(() => reconcile.wasenderStatusSource({}), (e) => e instanceof ConfigError && e.code === 'invalid_option');
  assert.equal(typeof reconcile.createReconciler({ tracker: core.createTracker() }).run, 'function');

  const metrics = mods['./metrics'];
  const noClient = await rejection(() => metrics.prometheusMetrics());
  assert.ok(noClient instanceof ConfigError && noClient.message.includes(peerMessage('bluetick/metrics', 'prom-client')), noClient.message);
  assertNamesPeer(await rejection(metrics.loadPrometheusMetrics()), 'bluetick/metrics', 'prom-client', BluetickError);

  console.log(`${label}: ${SUBPATHS.length} subpaths load without optional peers; core, web handler and missing-peer errors ok`);
}

module.exports = { runChecks };
