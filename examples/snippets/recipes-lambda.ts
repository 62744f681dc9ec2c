/**
 * docs/recipes.md: AWS Lambda behind API Gateway (REST v1, HTTP API v2) or a function URL.
 *
 * @sample run
 * @sample-needs postgres
 * @sample-lambda handler
 */
import { createTracker } from 'bluetick';
import { createLambdaHandler } from 'bluetick/lambda';
import { postgresStore } from 'bluetick/postgres';

// Created once per container, reused by its invocations. Many containers run at once: share state.
const tracker = createTracker({ store: postgresStore({ connectionString: process.env.DATABASE_URL!, max: 2 }) });

export const handler = createLambdaHandler({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
  ack: 'stored', // the default; never 'immediate' on Lambda: work after the response may be frozen
});
