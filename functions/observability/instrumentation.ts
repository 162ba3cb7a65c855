import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onDynamoDbCall } from '../store/call-counter.js';
import type { PolicyCacheObserver } from '../store/policy-cache.js';
import { logger } from './logger.js';
import { recordMetric } from './metrics.js';
import { currentRequestTelemetry } from './request-telemetry.js';

/**
 * The policy cache's cold loads and catch-ups as EMF metrics (counts, items, changes, durations), and
 * each undecodable item as an error log line (account, sort key, reason) and a metric.
 */
export const policyCacheMetrics: PolicyCacheObserver = {
  coldLoaded(items, durationMs) {
    recordMetric('PolicyCacheColdLoads');
    recordMetric('PolicyCacheColdLoadItems', items);
    recordMetric('PolicyCacheColdLoadDuration', durationMs);
  },
  caughtUp(changes, durationMs) {
    recordMetric('PolicyCacheCatchUpChanges', changes);
    recordMetric('PolicyCacheCatchUpDuration', durationMs);
  },
  malformedItem(accountId, sortKey, error) {
    recordMetric('MalformedPolicyItems');
    logger.error('An item of the account does not decode; it grants nothing', {
      accountId,
      sortKey,
      reason: error instanceof Error ? error.message : String(error),
    });
  },
};

/** Counts every command `client` sends into the telemetry of the request being served. */
export function countDynamoDbCallsPerRequest(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  onDynamoDbCall(client, () => {
    const telemetry = currentRequestTelemetry();
    if (telemetry) telemetry.dynamoDbCalls++;
  });
  return client;
}
