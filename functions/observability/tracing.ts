import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SERVICE_NAME } from './telemetry-names.js';

/**
 * With `POWERTOOLS_TRACE_ENABLED=true` (the stack sets it, with active X-Ray tracing, only when
 * deployed with `-c tracing=true`), instruments `client` (and the document client built on it) with
 * the Powertools Tracer so every DynamoDB command is an X-Ray subsegment; otherwise leaves it alone. The Tracer is imported only then, and
 * the stack leaves it out of the bundles when tracing is off (it brings the X-Ray SDK).
 */
export async function traceAwsClient(
  client: DynamoDBClient,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (env.POWERTOOLS_TRACE_ENABLED !== 'true') return;
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  new Tracer({ serviceName: SERVICE_NAME }).captureAWSv3Client(client);
}
