import { createStoreClient } from '../store/document-client.js';
import { type InviteCleanupResult, runInviteCleanup } from './invite-cleanup.js';

/**
 * Lambda entry of the scheduled invite cleanup (DESIGN §7, §11: an EventBridge schedule, hourly).
 * Reads the table name from `TABLE_NAME`, stops starting new work {@link SAFETY_MARGIN_MS} before
 * the invocation's time runs out (the rest is due again next hour), logs the counts and returns them.
 */

/** Time kept back from the Lambda's remaining time, so the last transaction can finish. */
export const SAFETY_MARGIN_MS = 10_000;

const { client } = createStoreClient();

/** The part of the Lambda context the handler reads. */
export interface CleanupInvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Runs {@link runInviteCleanup} on the table `TABLE_NAME` with the wall clock. */
export async function handler(
  _event: unknown,
  context: CleanupInvocationContext,
): Promise<InviteCleanupResult> {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const now = Date.now;
  const result = await runInviteCleanup({
    client,
    tableName,
    now,
    deadlineMs: now() + Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS),
  });
  console.log(JSON.stringify({ message: 'invite cleanup finished', ...result }));
  return result;
}
