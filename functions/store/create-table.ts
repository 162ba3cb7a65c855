import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TTL_ATTRIBUTE, timeToLiveInput } from './table-definition.js';

/** Options of {@link ensureTable}. */
export interface EnsureTableOptions {
  /** How long to wait for the table and its indexes to become ACTIVE, in milliseconds. Default 300 000. */
  readonly timeoutMs?: number;
}

const FIRST_POLL_DELAY_MS = 50;
const MAX_POLL_DELAY_MS = 2_000;

/**
 * Creates the table `tableName` from the shared definition unless it exists, waits until the table
 * and all its global secondary indexes are ACTIVE, then enables TTL on the TTL attribute.
 *
 * Idempotent and safe to run concurrently: an existing table (`ResourceInUseException`) is accepted
 * as is, and TTL is only enabled when it is not enabled already. It does not check that an existing
 * table matches the definition.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') {
      throw error;
    }
  }
  await waitUntilActive(client, tableName, deadline);
  await enableTimeToLive(client, tableName);
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, deadline: number): Promise<void> {
  let delay = FIRST_POLL_DELAY_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table !== undefined && isActive(Table)) {
      return;
    }
    if (Date.now() + delay > deadline) {
      throw new Error(
        `Table ${tableName} is not ACTIVE in time (table status ${Table?.TableStatus ?? 'unknown'})`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, MAX_POLL_DELAY_MS);
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  if (await isTimeToLiveOn(client, tableName)) {
    return;
  }
  try {
    await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)));
  } catch (error) {
    // A concurrent caller may have enabled it between our describe and our update.
    if (errorName(error) === 'ValidationException' && (await isTimeToLiveOn(client, tableName))) {
      return;
    }
    throw error;
  }
}

async function isTimeToLiveOn(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const on = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
  if (on && ttl?.AttributeName !== TTL_ATTRIBUTE) {
    throw new Error(
      `Table ${tableName} has TTL on ${ttl?.AttributeName ?? 'an unknown attribute'}, expected ${TTL_ATTRIBUTE}`,
    );
  }
  return on;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
