import { deflateSync, inflateSync } from 'node:zlib';
import * as z from 'zod';
import { Evaluator } from '../../core/evaluator.js';
import { type Bucket, LazyBucket, PersistentMap, readBucket, slotOf } from '../../core/persistent-map.js';
import { type PolicyEntity, PolicyIndex, type PolicyIndexMaps } from '../../core/policy-index.js';
import { type Filing, IndexedItems } from '../indexed-items.js';
import { policyEntityOfItem, type StoredToken } from '../items.js';
import { accountPk } from '../keys.js';
import type { MalformedItemReporter, PolicyState } from '../policy-state.js';

/**
 * The encoding of an account's policy snapshot (DESIGN §4 "Size independence"): the persistent maps
 * of a {@link PolicyState} — the partition's items and their secondary index, the evaluator's indexes
 * and the API tokens — bucket by bucket. Each bucket is one chunk (JSON, zlib-compressed, so each
 * carries its own checksum), and a small header says where each map's buckets are. Decoding reads
 * only the header: every map comes back with its buckets unread ({@link LazyBucket}) and a bucket is
 * decompressed and parsed the first time a lookup or a change reaches it. A cold instance therefore
 * pays for what its first requests touch — one principal's groups, assignments and roles — not for
 * the size of the account. The evaluator's entities are not stored: they are the policy items
 * decoded, bucket by bucket, from the items' own chunks (with the item decoders, so an item that does
 * not decode grants nothing and is reported, exactly as when read from DynamoDB).
 *
 * Layout: the 4 bytes `NRBS`, the header's length (32-bit big-endian), the header, then the chunks.
 */

/** The format tag of a snapshot document. */
export const SNAPSHOT_FORMAT = 'nextgen-rbac.policy-snapshot';
/** The format version written; a snapshot of another format version is not used (the partition is read instead). */
export const SNAPSHOT_FORMAT_VERSION = 2;

const MAGIC = 'NRBS';
const PREFIX_BYTES = 8;
/** A snapshot spreads each map so that a bucket holds about this many entries (lazy reads stay small). */
const ENTRIES_PER_CHUNK = 32;
/** The most buckets a snapshot spreads one map over. */
const MAX_CHUNKS_PER_MAP = 16_384;
/** Nested maps (a group's members, a filing key's items) of at most this many entries are stored inline. */
const INLINE_ENTRIES = 256;
/** zlib level: 4 keeps publishing fast; a cold load decompresses only the chunks it reads. */
const COMPRESSION_LEVEL = 4;

const mapLayout = z.object({
  size: z.number().int().nonnegative(),
  /** The chunk of each bucket (-1: empty); the length is the map's bucket count (a power of two). */
  buckets: z.array(z.number().int().min(-1)).min(1),
});
type MapLayout = z.infer<typeof mapLayout>;

const INDEX_MAPS = [
  'customRoles',
  'customResourceGroups',
  'enabledAssignments',
  'assignmentsByPrincipal',
  'groupsByUser',
  'groupIncarnations',
  'membersByIncarnation',
  'directScopesByUser',
  'membersByScope',
] as const satisfies readonly Exclude<keyof PolicyIndexMaps, 'entities'>[];
type IndexMapName = (typeof INDEX_MAPS)[number];
/** The index maps whose values are maps themselves. */
const NESTED_INDEX_MAPS: ReadonlySet<IndexMapName> = new Set(['membersByIncarnation', 'membersByScope']);

const snapshotHeader = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  accountId: z.string().min(1),
  version: z.number().int().nonnegative(),
  publishedAt: z.number().int().nonnegative(),
  items: mapLayout,
  entities: z.number().int().nonnegative(),
  filing: mapLayout,
  tokens: mapLayout,
  index: z.object(
    Object.fromEntries(INDEX_MAPS.map((name) => [name, mapLayout])) as Record<IndexMapName, typeof mapLayout>,
  ),
  /** Where each chunk ends, in bytes from the start of the first. */
  chunkEnds: z.array(z.number().int().nonnegative()),
});
type SnapshotHeader = z.infer<typeof snapshotHeader>;

/** What a stored snapshot says of itself, before any of its maps is read. */
export interface SnapshotInfo {
  readonly accountId: string;
  readonly version: number;
  /** When it was published (epoch milliseconds). */
  readonly publishedAt: number;
  /** The number of items of the account partition it holds. */
  readonly items: number;
}

/** Why a stored snapshot, or one of its chunks, was not used. */
export class SnapshotDecodeError extends Error {
  override readonly name = 'SnapshotDecodeError';
}

/** A nested map as a chunk stores it: inline entries, or a layout of chunks of its own. */
type NestedValue = { readonly i: readonly [string, unknown][] } | { readonly m: MapLayout };

/** The bucket count a snapshot spreads `size` entries over: a power of two, at least `current`. */
function chunkCount(size: number, current: number): number {
  let count = current;
  while (size > count * ENTRIES_PER_CHUNK && count < MAX_CHUNKS_PER_MAP) count *= 2;
  return count;
}

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

/** Writes chunks and map layouts. */
class SnapshotWriter {
  private readonly chunks: Buffer[] = [];

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
        return [bucket.source];
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

  /** The snapshot: prefix, header and chunks. */
  finish(header: Omit<SnapshotHeader, 'chunkEnds'>): Uint8Array {
    const chunkEnds: number[] = [];
    let end = 0;
    for (const chunk of this.chunks) {
      end += chunk.length;
      chunkEnds.push(end);
    }
    const head = deflateSync(JSON.stringify({ ...header, chunkEnds }), { level: COMPRESSION_LEVEL });
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.write(MAGIC, 0, 'ascii');
    prefix.writeUInt32BE(head.length, 4);
    return Buffer.concat([prefix, head, ...this.chunks]);
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
  const { map: items, filing } = state.items.parts();
  const indexMaps = state.evaluator.index.maps();
  const itemLayout = writer.map(items, ({ PK: _pk, ...rest }) => rest, true);
  const index = Object.fromEntries(
    INDEX_MAPS.map((name) => {
      const map = indexMaps[name] as PersistentMap<unknown>;
      const layout = NESTED_INDEX_MAPS.has(name)
        ? writer.map(map, (value) => writer.nested(value as PersistentMap<unknown>), false)
        : writer.map(map, (value) => value, true);
      return [name, layout];
    }),
  ) as Record<IndexMapName, MapLayout>;
  return writer.finish({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    accountId: state.accountId,
    version: state.version,
    publishedAt,
    items: itemLayout,
    entities: indexMaps.entities.size,
    filing: writer.map(filing, (value) => writer.nested(value), false),
    tokens: writer.map(state.tokens, (value) => value, true),
    index,
  });
}

/** How a decoded snapshot reports what it finds while its chunks are read. */
export interface SnapshotReadOptions {
  /** An item that does not decode as the policy entity it claims to be (it grants nothing). */
  readonly onMalformed?: MalformedItemReporter;
  /** A chunk that cannot be read: the read throws {@link SnapshotDecodeError}; the state must be dropped. */
  readonly onCorrupt?: (error: SnapshotDecodeError) => void;
}

/** Reads chunks of one snapshot on demand. */
class SnapshotReader {
  constructor(
    private readonly body: Buffer,
    private readonly chunkEnds: readonly number[],
    private readonly options: SnapshotReadOptions,
  ) {}

  /**
   * A map whose buckets read their chunks on first use; `decode` turns JSON data back into a value.
   * The buckets of a map of `plain` values keep their chunk, for {@link SnapshotChunkCache}.
   */
  map<V>(layout: MapLayout, decode: (value: unknown) => V, plain: boolean): PersistentMap<V> {
    if ((layout.buckets.length & (layout.buckets.length - 1)) !== 0) {
      throw new SnapshotDecodeError(`a map of the snapshot has ${layout.buckets.length} buckets`);
    }
    return PersistentMap.restore(
      layout.buckets.map((chunk) =>
        chunk < 0
          ? undefined
          : new LazyBucket(() => this.bucket(chunk, decode), plain ? this.chunk(chunk) : undefined),
      ),
      layout.size,
    );
  }

  /** A nested map stored by {@link SnapshotWriter.nested}. */
  nested = (value: unknown): PersistentMap<unknown> => {
    const nested = value as Partial<{ i: [string, unknown][]; m: MapLayout }>;
    if (Array.isArray(nested.i)) return PersistentMap.from(nested.i);
    const layout = mapLayout.safeParse(nested.m);
    if (!layout.success) throw this.corrupt('a nested map of the snapshot is malformed');
    return this.map(layout.data, (entry) => entry, true);
  };

  /** The compressed bytes of one chunk. */
  chunk(chunk: number): Buffer {
    const start = chunk === 0 ? 0 : this.chunkEnds[chunk - 1];
    const end = this.chunkEnds[chunk];
    if (start === undefined || end === undefined || start > end || end > this.body.length) {
      throw this.corrupt(`chunk ${chunk} of the snapshot is out of range`);
    }
    return this.body.subarray(start, end);
  }

  /** The entries of one chunk. */
  entries(chunk: number): [string, unknown][] {
    const bytes = this.chunk(chunk);
    let entries: unknown;
    try {
      entries = JSON.parse(inflateSync(bytes).toString('utf8'));
    } catch (error) {
      throw this.corrupt(`chunk ${chunk} of the snapshot does not decompress or parse`, error);
    }
    if (!Array.isArray(entries))
      throw this.corrupt(`chunk ${chunk} of the snapshot is not a list of entries`);
    return entries as [string, unknown][];
  }

  /** The policy entities of the items in `chunk` (an item that does not decode is reported and left out). */
  entities(accountId: string, chunk: number): Map<string, PolicyEntity> {
    const entities = new Map<string, PolicyEntity>();
    for (const [sk, item] of this.entries(chunk)) {
      try {
        const entity = policyEntityOfItem(accountId, { ...(item as object), PK: accountPk(accountId) });
        if (entity) entities.set(sk, entity);
      } catch (error) {
        this.options.onMalformed?.(sk, error);
      }
    }
    return entities;
  }

  private bucket<V>(chunk: number, decode: (value: unknown) => V): Map<string, V> {
    return new Map(this.entries(chunk).map(([key, value]) => [key, decode(value)]));
  }

  private corrupt(message: string, cause?: unknown): SnapshotDecodeError {
    const error = new SnapshotDecodeError(message, { cause });
    this.options.onCorrupt?.(error);
    return error;
  }
}

/** The header of a snapshot of `accountId`, and its chunks; throws {@link SnapshotDecodeError}. */
function readHeader(bytes: Uint8Array, accountId: string): { header: SnapshotHeader; body: Buffer } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX_BYTES || buffer.toString('ascii', 0, 4) !== MAGIC) {
    throw new SnapshotDecodeError(`the snapshot does not start with ${MAGIC} (another format version)`);
  }
  const headEnd = PREFIX_BYTES + buffer.readUInt32BE(4);
  let parsed: unknown;
  try {
    parsed = JSON.parse(inflateSync(buffer.subarray(PREFIX_BYTES, headEnd)).toString('utf8'));
  } catch (error) {
    throw new SnapshotDecodeError('the snapshot header does not decompress or parse', { cause: error });
  }
  const result = snapshotHeader.safeParse(parsed);
  if (!result.success) {
    throw new SnapshotDecodeError(`the snapshot header is malformed: ${z.prettifyError(result.error)}`);
  }
  const header = result.data;
  if (header.accountId !== accountId) {
    throw new SnapshotDecodeError(`the snapshot is of account ${header.accountId}, not ${accountId}`);
  }
  const body = buffer.subarray(headEnd);
  if ((header.chunkEnds.at(-1) ?? 0) !== body.length) {
    throw new SnapshotDecodeError('the snapshot is truncated or has bytes past its last chunk');
  }
  return { header, body };
}

/** What a snapshot of `accountId` says of itself (reads only its header); throws {@link SnapshotDecodeError}. */
export function snapshotInfo(bytes: Uint8Array, accountId: string): SnapshotInfo {
  const { header } = readHeader(bytes, accountId);
  return {
    accountId: header.accountId,
    version: header.version,
    publishedAt: header.publishedAt,
    items: header.items.size,
  };
}

/**
 * The policy state a snapshot of `accountId` holds, reading only its header: every map decodes its
 * buckets on first use. Throws {@link SnapshotDecodeError} for another format, another account, or a
 * malformed or truncated header; a chunk found unreadable later throws it from the read that needs it
 * (and is told to `onCorrupt`).
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  accountId: string,
  options: SnapshotReadOptions = {},
): PolicyState {
  const { header, body } = readHeader(bytes, accountId);
  const reader = new SnapshotReader(body, header.chunkEnds, options);
  const pk = accountPk(accountId);
  const items = reader.map(
    header.items,
    (item) => ({ ...(item as object), PK: pk }) as Record<string, unknown>,
    true,
  );
  const entities = PersistentMap.restore(
    header.items.buckets.map((chunk) =>
      chunk < 0 ? undefined : new LazyBucket(() => reader.entities(accountId, chunk)),
    ),
    header.entities,
  );
  const index = Object.fromEntries(
    INDEX_MAPS.map((name) => [
      name,
      NESTED_INDEX_MAPS.has(name)
        ? reader.map(header.index[name], reader.nested, false)
        : reader.map(header.index[name], (value) => value, true),
    ]),
  ) as unknown as Omit<PolicyIndexMaps, 'entities'>;
  return {
    accountId,
    version: header.version,
    items: IndexedItems.restore(items, reader.map(header.filing, reader.nested, false) as Filing),
    evaluator: new Evaluator(PolicyIndex.restore(accountId, { ...index, entities })),
    tokens: reader.map(header.tokens, (value) => value as StoredToken, true),
  };
}
