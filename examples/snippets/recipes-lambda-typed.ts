/**
 * docs/recipes.md, AWS Lambda: the handler typed with @types/aws-lambda's handler types.
 *
 * @sample run
 * @sample-lambda httpApi restApi functionUrl
 */
import { createTracker } from 'bluetick';
import { createLambdaHandler } from 'bluetick/lambda';

// What the page assumes you already have: a tracker and your secrets.
const tracker = createTracker();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;

import type { APIGatewayProxyHandler, APIGatewayProxyHandlerV2, LambdaFunctionURLHandler } from 'aws-lambda';

export const httpApi: APIGatewayProxyHandlerV2 = createLambdaHandler({ cloud: { appSecret, verifyToken }, tracker }); // HTTP API
export const restApi: APIGatewayProxyHandler = createLambdaHandler({ cloud: { appSecret, verifyToken }, tracker }); // REST API
export const functionUrl: LambdaFunctionURLHandler = createLambdaHandler({ cloud: { appSecret, verifyToken }, tracker });
