import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let middlewares = 0;

/**
 * Calls `onCall` with the command name (`QueryCommand`, `TransactWriteItemsCommand`, …) of every
 * command `client` sends, through an SDK middleware at the `initialize` step (once per command, before
 * retries). Used for the DynamoDB calls per request metric, the benchmarks and the round-trip tests.
 */
export function onDynamoDbCall(
  client: DynamoDBClient | DynamoDBDocumentClient,
  onCall: (commandName: string) => void,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      onCall(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `onDynamoDbCall-${++middlewares}` },
  );
}
