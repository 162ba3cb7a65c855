import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { localS3Client } from '../../functions/store/snapshots/local-blob-store.js';
import { type SnapshotStore, s3SnapshotStore } from '../../functions/store/snapshots/snapshot-store.js';

/** A fresh bucket on the run's local blob store, with a snapshot store and a client bound to it. */
export interface TestSnapshotStore {
  readonly snapshots: SnapshotStore;
  readonly client: S3Client;
  readonly bucket: string;
}

/** Creates a uniquely named bucket on the blob store started by the global setup. */
export async function createTestSnapshotStore(): Promise<TestSnapshotStore> {
  const client = localS3Client(inject('blobEndpoint'));
  const bucket = `t-${randomUUID()}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { snapshots: s3SnapshotStore({ client, bucket }), client, bucket };
}
