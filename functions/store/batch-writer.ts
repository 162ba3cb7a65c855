import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredItem } from './items.js';

/** Items per BatchWriteItem request (the DynamoDB limit). */
export const BATCH_SIZE = 25;

/** How many batches are in flight at once. */
export const DEFAULT_CONCURRENCY = 8;

const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes items with idempotent BatchWriteItem puts, `concurrency` batches at a time, retrying
 * unprocessed items with jittered exponential backoff; `onWritten` is told how many items each
 * batch wrote. Throws when a batch still has unprocessed items after the last attempt.
 */
export async function batchPut(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly StoredItem[],
  onWritten: (count: number) => void,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<void> {
  await batchWrite(
    client,
    tableName,
    items.map((item) => ({ PutRequest: { Item: item } })),
    onWritten,
    concurrency,
  );
}

/** One request of a BatchWriteItem: put an item, or delete one by its key. */
export type WriteRequest =
  | { readonly PutRequest: { readonly Item: StoredItem } }
  | { readonly DeleteRequest: { readonly Key: { readonly PK: string; readonly SK: string } } };

/** Like {@link batchPut}, for any mix of idempotent puts and deletes. */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  onWritten: (count: number) => void,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += BATCH_SIZE)
    batches.push(requests.slice(start, start + BATCH_SIZE));
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < batches.length; index = next++) {
      await writeBatch(client, tableName, batches[index] ?? [], onWritten);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly WriteRequest[],
  onWritten: (count: number) => void,
): Promise<void> {
  let pending: Record<string, unknown>[] = [...batch];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS)
      throw new Error(`${pending.length} items still unprocessed after ${MAX_ATTEMPTS} attempts`);
    if (attempt > 1) await sleep(Math.random() * 25 * 2 ** attempt);
    const result = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
    );
    const unprocessed = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
    onWritten(pending.length - unprocessed.length);
    pending = unprocessed;
  }
}
