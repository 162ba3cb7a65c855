import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onDynamoDbCall } from '../../functions/store/call-counter.js';

let counters = 0;

/** Counts the DynamoDB commands a client sends, by command name (the production middleware). */
export function countCalls(client: DynamoDBDocumentClient): { readonly calls: string[]; reset(): void } {
  const calls: string[] = [];
  onDynamoDbCall(client, (commandName) => calls.push(commandName));
  return {
    calls,
    reset: () => {
      calls.length = 0;
    },
  };
}

/**
 * Counts the Query calls a client sends against one partition (`:pk` of the key condition), through
 * an SDK middleware: how often an account partition is paged.
 */
export function countPartitionQueries(
  client: DynamoDBDocumentClient,
  partitionKey: string,
): { readonly count: () => number; reset(): void } {
  let count = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
      if (
        context.commandName === 'QueryCommand' &&
        input.ExpressionAttributeValues?.[':pk'] === partitionKey
      ) {
        count++;
      }
      return next(args);
    },
    { step: 'initialize', name: `countPartitionQueries-${++counters}` },
  );
  return {
    count: () => count,
    reset: () => {
      count = 0;
    },
  };
}
