import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../functions/store/create-table.js';
import { GSI1_NAME, TTL_ATTRIBUTE } from '../../functions/store/table-definition.js';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table.js';

/**
 * Pins down the DynamoDB behaviour the store relies on, against DynamoDB Local. If DynamoDB Local
 * stopped behaving like AWS here, the store's integration tests would prove nothing.
 */
describe('DynamoDB Local', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await createTestTable();
  });

  /** Writes `items` in batches of 25, retrying unprocessed items. */
  async function writeAll(items: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < items.length; start += 25) {
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await table.client.send(
          new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Runs `input` page by page; returns every item and the number of pages. */
  async function queryAllPages(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<{ items: Record<string, unknown>[]; pages: number }> {
    const items: Record<string, unknown>[] = [];
    let pages = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey: startKey }),
      );
      pages += 1;
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { items, pages };
  }

  it('creates the table from the shared definition, idempotently', async () => {
    // Prepare: the table exists already (beforeAll)

    // Act
    await ensureTable(table.raw, table.tableName);
    const { Table } = await table.raw.send(new DescribeTableCommand({ TableName: table.tableName }));
    const { TimeToLiveDescription } = await table.raw.send(
      new DescribeTimeToLiveCommand({ TableName: table.tableName }),
    );

    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });
  });

  it('rejects a second conditional Put with attribute_not_exists(PK)', async () => {
    // Prepare
    const put = () =>
      table.client.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { PK: 'PUT#1', SK: 'META', entity: 'probe' },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    await put();

    // Act
    const second = put();

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(second).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('rejects an Update that carries a stale version', async () => {
    // Prepare
    const key = { PK: 'VERSIONED#1', SK: 'META' };
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...key, name: 'v1', version: 1 } }),
    );
    const updateFrom = (expectedVersion: number, name: string) =>
      table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: 'SET #name = :name, #version = :next',
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: {
            ':name': name,
            ':expected': expectedVersion,
            ':next': expectedVersion + 1,
          },
        }),
      );
    await updateFrom(1, 'writer A');

    // Act
    const stale = updateFrom(1, 'writer B');

    // Assess
    await expect(stale).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ name: 'writer A', version: 2 });
  });

  it('writes nothing of a transaction with one failing condition and reports the reasons', async () => {
    // Prepare
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: 'TX#taken', SK: 'META', entity: 'probe' } }),
    );

    // Act
    const transaction = table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: { PK: 'TX#new', SK: 'META', entity: 'probe' } } },
          {
            Put: {
              TableName: table.tableName,
              Item: { PK: 'TX#taken', SK: 'META', entity: 'overwritten' },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );

    // Assess
    const error = await transaction.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual(
      ['None', 'ConditionalCheckFailed'],
    );
    const written = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: { PK: 'TX#new', SK: 'META' }, ConsistentRead: true }),
    );
    const untouched = await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: 'TX#taken', SK: 'META' },
        ConsistentRead: true,
      }),
    );
    expect(written.Item).toBeUndefined();
    expect(untouched.Item?.entity).toBe('probe');
  });

  it.each([
    { variant: 'Limit', count: 35, payloadBytes: 0, limit: 10 as number | undefined },
    { variant: 'the 1 MB page size', count: 250, payloadBytes: 5_000, limit: undefined },
  ])(
    'pages a Query by $variant and collects every item exactly once',
    async ({ count, payloadBytes, limit }) => {
      // Prepare
      const pk = `PAGED#${count}`;
      const payload = 'x'.repeat(payloadBytes);
      const sortKeys = Array.from({ length: count }, (_, index) => `ITEM#${String(index).padStart(4, '0')}`);
      await writeAll(sortKeys.map((SK) => ({ PK: pk, SK, entity: 'probe', payload })));

      // Act
      const firstPage = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Limit: limit,
        }),
      );
      const { items, pages } = await queryAllPages({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
      });

      // Assess
      expect(firstPage.LastEvaluatedKey).toBeDefined();
      expect(firstPage.Items?.length).toBeLessThan(count);
      expect(pages).toBeGreaterThan(1);
      expect(items.map((item) => item.SK)).toEqual(sortKeys);
    },
  );

  it('sees an item written just before in a strongly consistent Query with SK > :v', async () => {
    // Prepare
    const pk = 'LOG#1';
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: pk, SK: 'EVENT#0001', entity: 'probe' } }),
    );

    // Act
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: pk, SK: 'EVENT#0002', entity: 'probe' } }),
    );
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ExpressionAttributeValues: { ':pk': pk, ':after': 'EVENT#0001' },
        ConsistentRead: true,
      }),
    );

    // Assess
    expect(Items?.map((item) => item.SK)).toEqual(['EVENT#0002']);
  });

  it('has the GSI1 index and answers Queries on it', async () => {
    // Prepare
    await writeAll([
      { PK: 'USER#1', SK: 'META', GSI1PK: 'EMAIL#a@example.com', GSI1SK: 'USER#1', entity: 'user' },
      { PK: 'USER#2', SK: 'META', entity: 'user' },
    ]);

    // Act
    const { Table } = await table.raw.send(new DescribeTableCommand({ TableName: table.tableName }));
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: GSI1_NAME,
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': 'EMAIL#a@example.com', ':prefix': 'USER#' },
      }),
    );

    // Assess
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'GSI1',
        IndexStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
    ]);
    expect(Items).toEqual([
      { PK: 'USER#1', SK: 'META', GSI1PK: 'EMAIL#a@example.com', GSI1SK: 'USER#1', entity: 'user' },
    ]);
  });
});
