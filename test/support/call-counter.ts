import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onDynamoDbCall } from '../../functions/store/call-counter.js';

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
