import type { Context } from 'aws-lambda';
import { logger } from '../observability/logger.js';
import { metrics, publishMetrics, recordMetric } from '../observability/metrics.js';
import { traceAwsClient } from '../observability/tracing.js';
import { createStoreClient } from '../store/document-client.js';
import { type InviteCleanupResult, runInviteCleanup } from './invite-cleanup.js';

/**
 * Lambda entry of the scheduled invite cleanup (DESIGN §7, §11: an EventBridge schedule, hourly).
 * Reads the table name from `TABLE_NAME`, stops starting new work {@link SAFETY_MARGIN_MS} before
 * the invocation's time runs out (the rest is due again next hour), logs the counts (one JSON line),
 * publishes them as the `InvitesExpired`/`InvitesDeleted` metrics and returns them.
 */

/** Time kept back from the Lambda's remaining time, so the last transaction can finish. */
export const SAFETY_MARGIN_MS = 10_000;

const store = createStoreClient();
await traceAwsClient(store.raw, process.env);
const { client } = store;

/** The part of the Lambda context the handler reads. */
export interface CleanupInvocationContext {
  getRemainingTimeInMillis(): number;
}

function isLambdaContext(context: CleanupInvocationContext): context is Context {
  return 'awsRequestId' in context;
}

/** Runs {@link runInviteCleanup} on the table `TABLE_NAME` with the wall clock. */
export async function handler(
  _event: unknown,
  context: CleanupInvocationContext,
): Promise<InviteCleanupResult> {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  if (isLambdaContext(context)) logger.addContext(context);
  metrics.captureColdStartMetric();
  const now = Date.now;
  const result = await runInviteCleanup({
    client,
    tableName,
    now,
    deadlineMs: now() + Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS),
  });
  logger.info('invite cleanup finished', { ...result });
  recordMetric('InvitesExpired', result.expired);
  recordMetric('InvitesDeleted', result.deleted);
  publishMetrics();
  return result;
}
