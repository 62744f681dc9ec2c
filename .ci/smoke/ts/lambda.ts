// Type-checked (never run) by .ci/package-check against the packed tarball and @types/aws-lambda,
// under the same configurations as usage.ts AND under a tsconfig with nothing but `strict`: the
// handler must fit AWS's own handler and event types for REST (v1), HTTP APIs (v2) and function
// URLs, without a cast. A cast here would hide exactly the error users hit (TS2322).
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  LambdaFunctionURLEvent,
  LambdaFunctionURLHandler,
} from 'aws-lambda';
import { createTracker } from 'bluetick';
import { createLambdaHandler } from 'bluetick/lambda';

const tracker = createTracker();
const options = { cloud: { appSecret: 'secret', verifyToken: 'token' }, tracker };

export const restHandler: APIGatewayProxyHandler = createLambdaHandler(options);
export const httpApiHandler: APIGatewayProxyHandlerV2 = createLambdaHandler(options);
export const functionUrlHandler: LambdaFunctionURLHandler = createLambdaHandler(options);

// Called directly with the real event types (as in a unit test of the user's function).
const h = createLambdaHandler(options);
export async function direct(v1: APIGatewayProxyEvent, v2: APIGatewayProxyEventV2, url: LambdaFunctionURLEvent): Promise<number> {
  const a: APIGatewayProxyResult = await h(v1);
  const b: APIGatewayProxyStructuredResultV2 = await h(v2);
  const c = await h(url);
  return a.statusCode + (b.statusCode ?? 0) + c.statusCode;
}
