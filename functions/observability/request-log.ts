import type { Context } from 'aws-lambda';
import { logger } from './logger.js';
import { metrics, publishMetrics, recordMetric } from './metrics.js';
import type { RequestTelemetry } from './request-telemetry.js';

/** How one request ended, as the router saw it. */
export interface RequestOutcome {
  readonly correlationId: string;
  readonly method: string;
  /** The request path (never the query string, which can carry an invite token). */
  readonly path: string;
  /** The matched route's path template; absent on a 404 or 405. */
  readonly route?: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly telemetry: RequestTelemetry;
}

let coldStart = true;

/**
 * Starts a Lambda invocation's logging: the Powertools Lambda context keys (`function_name`,
 * `function_request_id`, `cold_start`, …) on every line of the invocation. Lambda runs one invocation
 * at a time per environment, so the shared logger state is the invocation's.
 */
export function beginLambdaInvocation(context: Context): void {
  logger.addContext(context);
}

/**
 * Reports one served request: one INFO JSON line (`message: "request"`, correlation id, method, path,
 * route, status, latency, account, caller type, DynamoDB calls, cold start; keys not known, such as
 * the route of a 404, are left out), its metrics (latency,
 * DynamoDB calls, 4xx, 5xx, 503 undecidable; the `ColdStart` metric once per process), then publishes
 * every metric recorded during the request as one EMF line.
 */
export function reportRequest(outcome: RequestOutcome): void {
  const first = coldStart;
  coldStart = false;
  if (first) metrics.captureColdStartMetric();
  const { telemetry, status } = outcome;
  recordMetric('RequestLatency', outcome.latencyMs);
  recordMetric('DynamoDbCallsPerRequest', telemetry.dynamoDbCalls);
  if (status >= 400 && status < 500) recordMetric('ClientErrors');
  if (status >= 500) recordMetric('ServerErrors');
  if (status === 503) recordMetric('Undecidable');
  logger.info('request', {
    correlationId: outcome.correlationId,
    method: outcome.method,
    path: outcome.path,
    route: outcome.route,
    status,
    latencyMs: Math.round(outcome.latencyMs * 100) / 100,
    accountIdentifier: telemetry.accountIdentifier,
    callerType: telemetry.callerType,
    dynamoDbCalls: telemetry.dynamoDbCalls,
    cold_start: first,
  });
  publishMetrics();
}

/** Logs an error that became a 500 (or a 503 from the store) as `message`, with its name, message, stack and cause chain. */
export function logThrownError(
  message: string,
  request: { correlationId: string; method: string; path: string },
  error: unknown,
): void {
  logger.error(message, { ...request, error });
}
