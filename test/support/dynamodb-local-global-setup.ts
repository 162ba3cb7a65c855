import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/store/dynamodb-local.js';
import { startLocalBlobStore } from '../../functions/store/snapshots/local-blob-store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local instance shared by the whole test run. */
    ddbEndpoint: string;
    /** Endpoint of the local S3-compatible blob store (s3rver) shared by the whole test run. */
    blobEndpoint: string;
  }
}

/**
 * Vitest global setup: starts one in-memory DynamoDB Local and one local blob store (s3rver, for
 * account snapshots) for the whole run, provides their endpoints as `ddbEndpoint` and `blobEndpoint`
 * (read them with `inject`) and stops both when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const [ddb, blobs] = await Promise.all([startDynamoDbLocal(), startLocalBlobStore()]);
  process.stderr.write(
    `DynamoDB Local ready on ${ddb.endpoint}, blob store on ${blobs.endpoint}, in ${Date.now() - started} ms\n`,
  );
  project.provide('ddbEndpoint', ddb.endpoint);
  project.provide('blobEndpoint', blobs.endpoint);
  return async () => {
    await Promise.all([ddb.stop(), blobs.stop()]);
  };
}
