import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Connection timeout of the snapshot store's client, in milliseconds. */
export const SNAPSHOT_CONNECT_TIMEOUT_MS = 1_000;
/** Request timeout of the snapshot store's client: a slower read falls back to the partition. */
export const SNAPSHOT_REQUEST_TIMEOUT_MS = 5_000;

/** An S3 client with the snapshot store's timeouts (and `config` on top, e.g. a local endpoint). */
export function createSnapshotClient(config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    requestHandler: {
      connectionTimeout: SNAPSHOT_CONNECT_TIMEOUT_MS,
      requestTimeout: SNAPSHOT_REQUEST_TIMEOUT_MS,
    },
    maxAttempts: 2,
    ...config,
  });
}
