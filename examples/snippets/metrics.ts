/**
 * docs/metrics.md: Prometheus metrics for the tracker, its sinks and the webhook handler.
 *
 * @sample run
 * @sample-handler handler
 */
import express from 'express';
import { memoryStore, type Sink } from 'bluetick';

// What the page assumes you already have.
const store = memoryStore();
const sinks: Sink[] = [];
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;
const app = express();

import * as client from 'prom-client';
import { createTracker, createWebhookHandler } from 'bluetick';
import { prometheusMetrics } from 'bluetick/metrics';

const metrics = prometheusMetrics({ client });            // or: await loadPrometheusMetrics()
const tracker = createTracker({ store, sinks, metrics }); // passes it on to its sinks' dispatcher
const handler = createWebhookHandler({ cloud: { appSecret, verifyToken }, tracker, metrics });
app.get('/metrics', async (_req, res) => res.type(client.register.contentType).send(await client.register.metrics()));

export { app, handler };
