import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { HEALTH_PROBE_KEY } from './keys.js';

/** The table a probe reads. */
export interface ProbeTarget {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Resolves once the store has answered one eventually consistent GetItem of {@link HEALTH_PROBE_KEY}
 * (half a read unit; the item never exists); rejects with the client's error when it does not
 * answer within the client's timeouts.
 */
export async function probeStore(target: ProbeTarget): Promise<void> {
  await target.client.send(
    new GetCommand({ TableName: target.tableName, Key: HEALTH_PROBE_KEY, ProjectionExpression: 'PK' }),
  );
}
