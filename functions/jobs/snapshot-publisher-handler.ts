import type { DynamoDBStreamEvent } from 'aws-lambda';
import { snapshotStoreFromEnv } from '../api/lambda/lambda-context.js';
import { createStoreClient } from '../store/document-client.js';
import { PolicyCache } from '../store/policy-cache.js';
import { type PublishOutcome, SnapshotPublisher } from '../store/snapshots/snapshot-publisher.js';

/**
 * Lambda entry of the snapshot publisher (DESIGN §4 "Size independence"): consumes the table's stream,
 * filtered by the stack to inserted change-log entries, and publishes each account of a batch once
 * (its own cache is kept warm across invocations, so a publication replays only the new entries).
 * A failure fails the batch, which the stream retries; publishing is idempotent.
 */

const CHANGE_LOG_PK = /^ACCOUNT#(.+)#CHANGES$/;

/** The accounts whose change log a batch of stream records appended to. */
export function accountsOfRecords(event: DynamoDBStreamEvent): string[] {
  const accounts = new Set<string>();
  for (const record of event.Records) {
    const account = CHANGE_LOG_PK.exec(record.dynamodb?.Keys?.PK?.S ?? '')?.[1];
    if (account && record.eventName === 'INSERT') accounts.add(account);
  }
  return [...accounts];
}

const tableName = process.env.TABLE_NAME;
const snapshots = snapshotStoreFromEnv(process.env);
const { client } = createStoreClient();
const now = Date.now;
const publisher =
  tableName && snapshots
    ? new SnapshotPublisher({ cache: new PolicyCache({ client, tableName, now, snapshots }), snapshots, now })
    : undefined;

/** Publishes the snapshot of every account the batch changed. */
export async function handler(event: DynamoDBStreamEvent): Promise<Record<string, PublishOutcome>> {
  if (!publisher) throw new Error('TABLE_NAME and SNAPSHOT_BUCKET must be set');
  const outcomes: Record<string, PublishOutcome> = {};
  for (const accountId of accountsOfRecords(event)) outcomes[accountId] = await publisher.publish(accountId);
  return outcomes;
}
