import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Where account snapshots are kept: one object per account, overwritten by each publication (S3 is
 * strongly consistent for reads after writes). Its metadata carries the snapshot's version, so a
 * publisher can tell whether it is behind without reading the body.
 */
export interface SnapshotStore {
  /** The latest snapshot's bytes, or `undefined` when the account has none. */
  get(accountId: string): Promise<Uint8Array | undefined>;
  /**
   * Bytes `start` (inclusive) to `end` (exclusive, clamped to the object's length) of the latest
   * snapshot, with its length; `undefined` when the account has none.
   */
  getRange(accountId: string, start: number, end: number): Promise<SnapshotRange | undefined>;
  /** The latest snapshot's version, or `undefined` when the account has none. */
  version(accountId: string): Promise<number | undefined>;
  /** Stores `bytes` as the account's latest snapshot at `version`. */
  put(accountId: string, version: number, bytes: Uint8Array): Promise<void>;
}

/** Some bytes of a stored snapshot and the snapshot's whole length. */
export interface SnapshotRange {
  readonly bytes: Uint8Array;
  readonly length: number;
  /**
   * The stored object's entity tag, when the store tells it: two reads with the same tag read the
   * same object (a snapshot read in several ranges is known not to have been replaced in between).
   */
  readonly etag?: string;
}

/** The whole length of an object, from a ranged GET's `Content-Range` (`bytes 0-99/1234`) or its length. */
function objectLength(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = contentRange?.split('/')[1];
  const length = total === undefined ? contentLength : Number(total);
  if (length === undefined || !Number.isInteger(length))
    throw new Error('the snapshot store did not say the length');
  return length;
}

/** Where an S3 snapshot store keeps its objects. */
export interface S3SnapshotLocation {
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every key: lets several tables share one local bucket (default none). */
  readonly prefix?: string;
}

/** The object key of an account's snapshot under `prefix`. */
export function snapshotKey(accountId: string, prefix = ''): string {
  return `${prefix}policy-snapshots/${encodeURIComponent(accountId)}.snapshot`;
}

function isMissing(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/** A {@link SnapshotStore} on an S3 bucket (in AWS) or an S3-compatible server (locally: s3rver). */
export function s3SnapshotStore({ client, bucket, prefix = '' }: S3SnapshotLocation): SnapshotStore {
  return {
    async get(accountId) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: snapshotKey(accountId, prefix) }),
        );
        return object.Body ? await object.Body.transformToByteArray() : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async getRange(accountId, start, end) {
      try {
        const object = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: snapshotKey(accountId, prefix),
            Range: `bytes=${start}-${end - 1}`,
          }),
        );
        const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
        const length = objectLength(object.ContentRange, object.ContentLength);
        return object.ETag === undefined ? { bytes, length } : { bytes, length, etag: object.ETag };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async version(accountId) {
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: snapshotKey(accountId, prefix) }),
        );
        const version = Number(head.Metadata?.version);
        return Number.isInteger(version) ? version : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async put(accountId, version, bytes) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: snapshotKey(accountId, prefix),
          Body: bytes,
          ContentType: 'application/octet-stream',
          Metadata: { version: String(version) },
        }),
      );
    },
  };
}
