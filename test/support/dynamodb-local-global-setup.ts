import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/store/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local instance shared by the whole test run. */
    ddbEndpoint: string;
  }
}

/**
 * Vitest global setup: starts one in-memory DynamoDB Local for the whole run, provides its endpoint
 * as `ddbEndpoint` (read it with `inject('ddbEndpoint')`) and stops it when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const ddb = await startDynamoDbLocal();
  process.stderr.write(`DynamoDB Local ready on ${ddb.endpoint} in ${Date.now() - started} ms\n`);
  project.provide('ddbEndpoint', ddb.endpoint);
  return async () => {
    await ddb.stop();
  };
}
