import { createHash } from 'node:crypto';
import type { SnapshotRange, SnapshotStore } from '../../functions/store/snapshots/snapshot-store.js';

/** One ranged read a {@link MemorySnapshotStore} answered. */
export interface RecordedRead {
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}

/** A snapshot store in memory (unit tests) that records the ranged reads it answers. */
export interface MemorySnapshotStore extends SnapshotStore {
  readonly reads: RecordedRead[];
}

/** Options of {@link memorySnapshotStore}. */
export interface MemorySnapshotStoreOptions {
  /**
   * Where a read from the first byte stops at most (as when the policy part of a large account ends
   * before the first read's length); the whole object when omitted.
   */
  readonly firstReadEnd?: (bytes: Uint8Array) => number;
  /** Whether reads tell the object's entity tag, as S3 does (default true). */
  readonly etags?: boolean;
}

/** A {@link SnapshotStore} holding its objects in memory, with S3's ranged-read semantics. */
export function memorySnapshotStore(options: MemorySnapshotStoreOptions = {}): MemorySnapshotStore {
  const objects = new Map<string, { bytes: Uint8Array; version: number; etag: string }>();
  const reads: RecordedRead[] = [];
  return {
    reads,
    async get(accountId) {
      return objects.get(accountId)?.bytes;
    },
    async getRange(accountId, start, end): Promise<SnapshotRange | undefined> {
      const object = objects.get(accountId);
      if (!object) return undefined;
      const stop =
        start === 0 && options.firstReadEnd ? Math.min(end, options.firstReadEnd(object.bytes)) : end;
      const bytes = object.bytes.subarray(start, Math.min(stop, object.bytes.length));
      reads.push({ start, end, bytes: bytes.length });
      const range = { bytes, length: object.bytes.length };
      return options.etags === false ? range : { ...range, etag: object.etag };
    },
    async version(accountId) {
      return objects.get(accountId)?.version;
    },
    async put(accountId, version, bytes) {
      const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
      objects.set(accountId, { bytes, version, etag });
    },
  };
}
