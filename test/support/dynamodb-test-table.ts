import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '../../functions/store/create-table.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';

/** A freshly created table on the run's DynamoDB Local, with clients bound to it. */
export interface TestTable {
  /** Document client (plain JavaScript values in and out). */
  client: DynamoDBDocumentClient;
  /** Low-level client, for control-plane calls and raw attribute values. */
  raw: DynamoDBClient;
  /** Name of the new table, unique per call. */
  tableName: string;
}

/**
 * Creates a uniquely named table from the shared table definition on the DynamoDB Local started by
 * the global setup, so that every test file (or test) works on its own table. The tables live in
 * memory and disappear when the run ends.
 */
export async function createTestTable(): Promise<TestTable> {
  const raw = new DynamoDBClient(localClientConfig(inject('ddbEndpoint')));
  const client = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(raw, tableName);
  return { client, raw, tableName };
}
