import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  type Bucket,
  LazyBucket,
  type PersistentMap,
  readBucket,
  slotOf,
} from '../../core/persistent-map.js';
import type { PolicyState } from '../policy-state.js';
import {
  chunkCount,
  ID_BYTES,
  INDEX_MAPS,
  INLINE_ENTRIES,
  type IndexMapName,
  type MapLayout,
  NESTED_INDEX_MAPS,
  type NestedValue,
  PREFIX_BYTES,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MAGIC,
  type SnapshotHeader,
} from './snapshot-format.js';

/**
 * Encodes an account's policy state as a snapshot (`snapshot-format.ts`): each persistent map spread
 * into buckets of about 32 entries, one zlib JSON chunk per bucket, the policy part first.
 */

/** zlib level: 4 keeps publishing fast; a cold load decompresses only the chunks it reads. */
const COMPRESSION_LEVEL = 4;

/**
 * The compressed chunks of buckets already encoded, by bucket: a publisher keeps one between
 * publications, so that publishing the next version compresses only the buckets that changed (a
 * change replaces the buckets it writes and shares the others, and a bucket restored from a
 * snapshot and never changed is stored as the very chunk it was read from).
 */
export class SnapshotChunkCache {
  private readonly chunks = new WeakMap<object, readonly (Buffer | undefined)[]>();

  /** The chunks encoded for `bucket` split `parts` ways. */
  get(bucket: object, parts: number): readonly (Buffer | undefined)[] | undefined {
    const chunks = this.chunks.get(bucket);
    return chunks?.length === parts ? chunks : undefined;
  }

  /** Remembers the chunks of `bucket`. */
  set(bucket: object, chunks: readonly (Buffer | undefined)[]): void {
    this.chunks.set(bucket, chunks);
  }
}

/**
 * Whether `source` is a chunk that decompresses (checksum included): a damaged chunk is never copied
 * into a new snapshot; its bucket is decoded instead, which reports it.
 */
function intact(source: unknown): source is Buffer {
  if (!(source instanceof Buffer)) return false;
  try {
    inflateSync(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * A snapshot's id: the start of a SHA-256 of its header (without the id) and chunks, so two
 * snapshots share an id only when they are the same bytes.
 */
function contentId(header: object, chunks: readonly Buffer[]): Buffer {
  const hash = createHash('sha256').update(JSON.stringify(header));
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest().subarray(0, ID_BYTES);
}

/** Writes chunks and map layouts. */
class SnapshotWriter {
  private readonly chunks: Buffer[] = [];
  private policyChunks = 0;

  constructor(private readonly cache: SnapshotChunkCache | undefined) {}

  /**
   * The layout of `map`, its buckets written as chunks (`encode` turns a value into JSON data). A
   * map of `plain` values reuses the chunks of unchanged buckets; one whose values are nested maps
   * is encoded again, as its chunks name the chunks of the nested maps.
   */
  map<V>(map: PersistentMap<V>, encode: (value: V) => unknown, plain: boolean): MapLayout {
    const held = map.heldBuckets();
    const count = chunkCount(map.size, held.length);
    const buckets = new Array<number>(count).fill(-1);
    held.forEach((bucket, slot) => {
      if (!bucket) return;
      const chunks = this.chunksOf(bucket, slot, held.length, count, encode, plain);
      chunks.forEach((chunk, part) => {
        if (!chunk) return;
        this.chunks.push(chunk);
        buckets[slot + part * held.length] = this.chunks.length - 1;
      });
    });
    return { size: map.size, buckets };
  }

  /** A nested map: inline when small, else its own layout. */
  nested<V>(map: PersistentMap<V>): NestedValue {
    if (map.size <= INLINE_ENTRIES) return { i: [...map.entries()] };
    return { m: this.map(map, (value) => value, true) };
  }

  /**
   * The chunks of the buckets that bucket `slot` of `length` spreads into among `count` (its keys
   * land in slots `slot + part × length`): cached, the chunk the bucket was read from, or encoded.
   */
  private chunksOf<V>(
    bucket: Exclude<Bucket<V>, undefined>,
    slot: number,
    length: number,
    count: number,
    encode: (value: V) => unknown,
    plain: boolean,
  ): readonly (Buffer | undefined)[] {
    const parts = count / length;
    if (plain) {
      const cached = this.cache?.get(bucket, parts);
      if (cached) return cached;
      if (parts === 1 && bucket instanceof LazyBucket && !bucket.isLoaded && intact(bucket.source)) {
        // Checked once: the next publication finds the chunk in the cache.
        const reused = [bucket.source];
        this.cache?.set(bucket, reused);
        return reused;
      }
    }
    const split: [string, unknown][][] = Array.from({ length: parts }, () => []);
    for (const [key, value] of readBucket(bucket) ?? []) {
      split[(slotOf(key, count) - slot) / length]?.push([key, encode(value)]);
    }
    const chunks = split.map((entries) =>
      entries.length === 0 ? undefined : deflateSync(JSON.stringify(entries), { level: COMPRESSION_LEVEL }),
    );
    if (plain) this.cache?.set(bucket, chunks);
    return chunks;
  }

  /** Ends the policy part: the chunks written from now on are the items part's. */
  endPolicyPart(): void {
    this.policyChunks = this.chunks.length;
  }

  /** The snapshot: prefix, header, policy chunks, id, items chunks. */
  finish(header: Omit<SnapshotHeader, 'chunkEnds' | 'policyChunks' | 'id'>): Uint8Array {
    const id = contentId(header, this.chunks);
    const chunkEnds: number[] = [];
    let end = 0;
    this.chunks.forEach((chunk, index) => {
      if (index === this.policyChunks) end += ID_BYTES;
      end += chunk.length;
      chunkEnds.push(end);
    });
    const head = deflateSync(
      JSON.stringify({ ...header, id: id.toString('hex'), chunkEnds, policyChunks: this.policyChunks }),
      { level: COMPRESSION_LEVEL },
    );
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.write(SNAPSHOT_MAGIC, 0, 'ascii');
    prefix.writeUInt32BE(head.length, 4);
    return Buffer.concat([
      prefix,
      head,
      ...this.chunks.slice(0, this.policyChunks),
      id,
      ...this.chunks.slice(this.policyChunks),
    ]);
  }
}

/**
 * Encodes the snapshot of `state`, published at `publishedAt` (epoch milliseconds); with `cache`,
 * buckets unchanged since an earlier encoding (or since they were read from a snapshot) are not
 * compressed again.
 */
export function encodeSnapshot(
  state: PolicyState,
  publishedAt: number,
  cache?: SnapshotChunkCache,
): Uint8Array {
  const writer = new SnapshotWriter(cache);
  const indexMaps = state.evaluator.index.maps();
  const tokens = writer.map(state.tokens, (value) => value, true);
  const index = Object.fromEntries(
    INDEX_MAPS.map((name) => {
      const map = indexMaps[name] as PersistentMap<unknown>;
      const layout = NESTED_INDEX_MAPS.has(name)
        ? writer.map(map, (value) => writer.nested(value as PersistentMap<unknown>), false)
        : writer.map(map, (value) => value, true);
      return [name, layout];
    }),
  ) as Record<IndexMapName, MapLayout>;
  writer.endPolicyPart();
  const { map: items, filing } = state.items.parts();
  const itemLayout = writer.map(items, (item) => item, true);
  const filingLayout = writer.map(filing, (value) => writer.nested(value), false);
  return writer.finish({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    accountId: state.accountId,
    version: state.version,
    publishedAt,
    tokens,
    index,
    items: itemLayout,
    entities: indexMaps.entities.size,
    filing: filingLayout,
  });
}
