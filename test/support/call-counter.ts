import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let counters = 0;

/** Counts the DynamoDB commands a client sends, by command name, through an SDK middleware. */
export function countCalls(client: DynamoDBDocumentClient): { readonly calls: string[]; reset(): void } {
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `countCalls-${++counters}` },
  );
  return {
    calls,
    reset: () => {
      calls.length = 0;
    },
  };
}
