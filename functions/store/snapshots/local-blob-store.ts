import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { LOCAL_REGION } from '../dynamodb-local.js';
import { createSnapshotClient } from './s3-client.js';

/** The bucket the local blob store creates for snapshots. */
export const LOCAL_SNAPSHOT_BUCKET = 'nextgen-rbac-snapshots';

/** Options of {@link startLocalBlobStore}. */
export interface LocalBlobStoreOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  readonly port?: number;
  /** Where the objects are kept; a temporary directory (removed on stop) when omitted. */
  readonly directory?: string;
}

/** A running local S3-compatible server (s3rver) with the snapshot bucket. */
export interface LocalBlobStore {
  /** HTTP endpoint, e.g. `http://127.0.0.1:4569`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Stops the server (and removes a temporary directory). Safe to call more than once. */
  stop(): Promise<void>;
}

/** The credentials s3rver accepts (its documented defaults; nothing secret). */
export const LOCAL_BLOB_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * S3 client configuration for an S3-compatible server at `endpoint`: path-style addressing,
 * {@link LOCAL_REGION} and s3rver's credentials, so no AWS profile or environment is read.
 */
export function localS3ClientConfig(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: { ...LOCAL_BLOB_CREDENTIALS },
  };
}

/** A client for the local blob store at `endpoint`. */
export function localS3Client(endpoint: string): S3Client {
  return createSnapshotClient(localS3ClientConfig(endpoint));
}

/**
 * Starts s3rver (an S3-compatible server from npm, in this process) on 127.0.0.1 with the bucket
 * {@link LOCAL_SNAPSHOT_BUCKET}, keeping objects in `directory` (or a temporary one).
 */
export async function startLocalBlobStore(options: LocalBlobStoreOptions = {}): Promise<LocalBlobStore> {
  const temporary = options.directory === undefined;
  const directory = temporary
    ? await mkdtemp(join(tmpdir(), 'nextgen-rbac-blobs-'))
    : resolve(options.directory as string);
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: LOCAL_SNAPSHOT_BUCKET, configs: [] }],
  });
  const address = await server.run();
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: LOCAL_SNAPSHOT_BUCKET,
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        if (temporary) await rm(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
