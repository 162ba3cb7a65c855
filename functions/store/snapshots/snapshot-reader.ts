import { inflateSync } from 'node:zlib';
import * as z from 'zod/mini';
import { Evaluator } from '../../core/evaluator.js';
import { LazyBucket, PersistentMap, slotOf } from '../../core/persistent-map.js';
import { type PolicyEntity, PolicyIndex, type PolicyIndexMaps } from '../../core/policy-index.js';
import type { StoredToken } from '../entities/credentials.js';
import { policyEntityOfItem } from '../entities/policy-entities.js';
import { type Filing, filingKeys, IndexedItems } from '../indexed-items.js';
import { accountPk } from '../keys.js';
import type { AuthorizationState, MalformedItemReporter, PolicyState } from '../policy-state.js';
import type { ByteSpan } from './byte-spans.js';
import {
  ID_BYTES,
  INDEX_MAPS,
  ItemsChunkUnreadError,
  type MapLayout,
  mapLayout,
  NESTED_INDEX_MAPS,
  PREFIX_BYTES,
  SNAPSHOT_MAGIC,
  SnapshotDecodeError,
  type SnapshotHeader,
  SnapshotReplacedError,
  snapshotHeader,
} from './snapshot-format.js';

/**
 * Decodes an account's policy snapshot (`snapshot-format.ts`) without reading it: the header is
 * parsed and every map comes back with its buckets unread ({@link LazyBucket}); a bucket is
 * decompressed and parsed the first time a lookup or a change reaches it. The policy part alone gives
 * what authorization needs; the items part (the partition's items, the evaluator's entities decoded
 * from them with the item decoders, the items' secondary index) can be read later.
 */

/** How a decoded snapshot reports what it finds while its chunks are read. */
export interface SnapshotReadOptions {
  /** An item that does not decode as the policy entity it claims to be (it grants nothing). */
  readonly onMalformed?: MalformedItemReporter;
  /** A chunk that cannot be read: the read throws {@link SnapshotDecodeError}; the state must be dropped. */
  readonly onCorrupt?: (error: SnapshotDecodeError) => void;
}

/** A snapshot's policy part, decoded: the state authorization needs, and how to add the items part. */
export interface PolicyPart {
  readonly state: AuthorizationState;
  /** How many items the snapshot holds (in its items part). */
  readonly items: number;
  /** Where the items part starts and the snapshot ends, in bytes from its start. */
  readonly itemsRange: { readonly start: number; readonly end: number };
  /** The items part read chunk by chunk (for the changes a policy-only state replays). */
  readonly itemsChunks: ItemsChunks;
  /**
   * The complete state, given the items part (the bytes of `itemsRange`); throws
   * {@link SnapshotReplacedError} when they are of another snapshot.
   */
  withItems(itemsPart: Uint8Array): PolicyState;
}

/**
 * Reads the items chunks of a snapshot it is given (`read`, by chunk number; the caller fetches
 * their {@link ItemsChunks.span}s and hands them to {@link ItemsChunks.add}).
 */
export type ItemsChunkRead = (chunks: readonly number[]) => Promise<void>;

/**
 * A snapshot's items part read chunk by chunk: the snapshot's complete state whose item buckets
 * decode from the chunks held, the chunks a change reaches, and where each chunk lies.
 */
export interface ItemsChunks {
  /**
   * The snapshot's complete state; reading an item (or applying a change to an item) whose chunk is
   * not held yet throws {@link ItemsChunkUnreadError}. Every state derived from it shares its
   * unchanged buckets, so all of them read every item once the whole items part was given.
   */
  readonly state: PolicyState;
  /** Where the snapshot's id is (the first bytes of its items part). */
  readonly idSpan: ByteSpan;
  /** Whether `bytes` are the snapshot's id. */
  isId(bytes: Uint8Array): boolean;
  /** Where items chunk `chunk` is. */
  span(chunk: number): ByteSpan;
  /** Gives items chunk `chunk` (the bytes of its {@link span}). */
  add(chunk: number, bytes: Uint8Array): void;
  /** Whether every chunk of the items part is at hand. */
  readonly whole: boolean;
  /**
   * Reads (with `read`, in at most three rounds, each of the chunks not held yet) every items chunk a
   * change needs that reads or writes the items under `keys` and puts `puts`: their items and
   * entities, then the secondary-index buckets of what the old and new items are filed under, then
   * the buckets of the large filing sets they are in.
   */
  readFor(
    keys: Iterable<string>,
    puts: readonly Record<string, unknown>[],
    read: ItemsChunkRead,
  ): Promise<void>;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The header's end, when `bytes` hold at least the prefix. */
function headerEnd(bytes: Buffer): number {
  if (bytes.length < PREFIX_BYTES || bytes.toString('ascii', 0, 4) !== SNAPSHOT_MAGIC) {
    throw new SnapshotDecodeError(
      `the snapshot does not start with ${SNAPSHOT_MAGIC} (another format version)`,
    );
  }
  return PREFIX_BYTES + bytes.readUInt32BE(4);
}

/** Where the policy part's chunks end, in bytes from the end of the header. */
function policyEnd(header: SnapshotHeader): number {
  return header.policyChunks === 0 ? 0 : (header.chunkEnds[header.policyChunks - 1] ?? 0);
}

/** The snapshot's length, in bytes from the end of the header. */
function bodyLength(header: SnapshotHeader): number {
  return header.chunkEnds.length > header.policyChunks
    ? (header.chunkEnds.at(-1) ?? 0)
    : policyEnd(header) + ID_BYTES;
}

/** The header of a snapshot of `accountId` (`bytes` hold at least the prefix and the header). */
function readHeader(bytes: Buffer, accountId: string): { header: SnapshotHeader; headEnd: number } {
  const headEnd = headerEnd(bytes);
  if (bytes.length < headEnd) throw new SnapshotDecodeError('the snapshot ends inside its header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(inflateSync(bytes.subarray(PREFIX_BYTES, headEnd)).toString('utf8'));
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
  if (header.policyChunks > header.chunkEnds.length) {
    throw new SnapshotDecodeError('the snapshot header names more policy chunks than chunks');
  }
  return { header, headEnd };
}

/** A snapshot's header, read once, and how many leading bytes its policy part needs. */
export interface SnapshotHead {
  readonly header: SnapshotHeader;
  readonly headEnd: number;
  /** The bytes from the snapshot's start to the end of its policy part. */
  readonly policyBytes: number;
}

/**
 * The header of a snapshot of `accountId` from its first `bytes`, or — while they do not hold the
 * whole header — how many leading bytes it needs (at least the 8 of the prefix).
 */
export function snapshotHead(bytes: Uint8Array, accountId: string): SnapshotHead | number {
  const buffer = asBuffer(bytes);
  if (buffer.length < PREFIX_BYTES) return PREFIX_BYTES;
  const headEnd = headerEnd(buffer);
  if (buffer.length < headEnd) return headEnd;
  const { header } = readHeader(buffer, accountId);
  return { header, headEnd, policyBytes: headEnd + policyEnd(header) };
}

/** The bucket of `key` in a map of `layout` as a chunk number (`undefined`: the bucket is empty). */
function chunkOfKey(layout: MapLayout, key: string): number | undefined {
  const chunk = layout.buckets[slotOf(key, layout.buckets.length)];
  return chunk === undefined || chunk < 0 ? undefined : chunk;
}

/**
 * Reads chunks of one snapshot on demand: the policy part's at once, the items part's once given
 * (whole, or chunk by chunk).
 */
class SnapshotReader {
  private itemsBody: Buffer | undefined;
  /** Items chunks given one by one, while the whole items part is not. */
  private readonly itemsChunks = new Map<number, Buffer>();
  /** The layout of every nested map decoded from one (to find the chunk that holds a key of it). */
  readonly layouts = new WeakMap<PersistentMap<unknown>, MapLayout>();

  constructor(
    private readonly policyBody: Buffer,
    private readonly header: SnapshotHeader,
    private readonly headEnd: number,
    private readonly options: SnapshotReadOptions,
  ) {}

  /** Gives the items part (from its id on); throws {@link SnapshotReplacedError} when it is of another snapshot. */
  addItemsPart(part: Buffer): void {
    const expected = bodyLength(this.header) - policyEnd(this.header);
    if (part.length !== expected || part.toString('hex', 0, ID_BYTES) !== this.header.id) {
      throw new SnapshotReplacedError(
        'the items part read is not of the snapshot whose policy part was read',
      );
    }
    this.itemsBody = part.subarray(ID_BYTES);
    this.itemsChunks.clear();
  }

  /** Gives one items chunk (the bytes of its {@link span}). */
  addItemsChunk(chunk: number, bytes: Buffer): void {
    const { start, end } = this.bounds(chunk);
    if (chunk < this.header.policyChunks || bytes.length !== end - start) {
      throw this.corrupt(`chunk ${chunk} of the snapshot was given ${bytes.length} bytes`);
    }
    if (!this.itemsBody) this.itemsChunks.set(chunk, bytes);
  }

  /** Whether the whole items part is at hand. */
  get hasItemsPart(): boolean {
    return this.itemsBody !== undefined;
  }

  /** Which of `chunks` are neither in the policy part nor given. */
  missing(chunks: Iterable<number>): number[] {
    if (this.itemsBody) return [];
    return [...new Set(chunks)].filter((chunk) => !this.itemsChunks.has(chunk));
  }

  /** Where chunk `chunk` is, in bytes from the snapshot's start. */
  span(chunk: number): ByteSpan {
    const { start, end } = this.bounds(chunk);
    return { start: this.headEnd + start, end: this.headEnd + end };
  }

  /** Where the snapshot's id is, in bytes from its start. */
  get idSpan(): ByteSpan {
    const start = this.headEnd + policyEnd(this.header);
    return { start, end: start + ID_BYTES };
  }

  /**
   * A map whose buckets read their chunks on first use; `decode` turns JSON data back into a value.
   * The buckets of a map of `plain` values keep their chunk (see `SnapshotChunkCache`).
   */
  map<V>(layout: MapLayout, decode: (value: unknown) => V, plain: boolean): PersistentMap<V> {
    if ((layout.buckets.length & (layout.buckets.length - 1)) !== 0) {
      throw this.corrupt(`a map of the snapshot has ${layout.buckets.length} buckets`);
    }
    for (const chunk of layout.buckets) if (chunk >= 0) this.bounds(chunk);
    return PersistentMap.restore(
      layout.buckets.map((chunk) =>
        chunk < 0
          ? undefined
          : new LazyBucket(() => this.bucket(chunk, decode), plain ? () => this.heldChunk(chunk) : undefined),
      ),
      layout.size,
    );
  }

  /** A nested map stored inline or with a layout of its own. */
  nested = (value: unknown): PersistentMap<unknown> => {
    const nested = value as Partial<{ i: [string, unknown][]; m: MapLayout }>;
    if (Array.isArray(nested.i)) return PersistentMap.from(nested.i);
    const layout = mapLayout.safeParse(nested.m);
    if (!layout.success) throw this.corrupt('a nested map of the snapshot is malformed');
    const map = this.map(layout.data, (entry) => entry, true);
    this.layouts.set(map, layout.data);
    return map;
  };

  /** The evaluator's entities: the policy items of the items part, bucket by bucket (same layout). */
  entities(accountId: string): PersistentMap<PolicyEntity> {
    return PersistentMap.restore(
      this.header.items.buckets.map((chunk) =>
        chunk < 0 ? undefined : new LazyBucket(() => this.entitiesOf(accountId, chunk)),
      ),
      this.header.entities,
    );
  }

  /** Where chunk `chunk` is, in bytes from the end of the header. */
  private bounds(chunk: number): ByteSpan {
    const { chunkEnds, policyChunks } = this.header;
    const itemsStart = policyEnd(this.header) + ID_BYTES;
    const start = chunk === 0 ? 0 : chunk === policyChunks ? itemsStart : chunkEnds[chunk - 1];
    const end = chunkEnds[chunk];
    if (start === undefined || end === undefined || start > end) {
      throw this.corrupt(`chunk ${chunk} of the snapshot is out of range`);
    }
    return { start, end };
  }

  /** The compressed bytes of one chunk; {@link ItemsChunkUnreadError} for an items chunk not given. */
  chunk(chunk: number): Buffer {
    const held = this.heldChunk(chunk);
    if (!held) throw new ItemsChunkUnreadError(chunk);
    return held;
  }

  /** The compressed bytes of one chunk, or `undefined` for an items chunk not given. */
  private heldChunk(chunk: number): Buffer | undefined {
    const { start, end } = this.bounds(chunk);
    if (chunk < this.header.policyChunks) return this.policyBody.subarray(start, end);
    if (!this.itemsBody) return this.itemsChunks.get(chunk);
    const itemsStart = policyEnd(this.header) + ID_BYTES;
    return this.itemsBody.subarray(start - itemsStart, end - itemsStart);
  }

  /** The entries of one chunk. */
  private entries(chunk: number): [string, unknown][] {
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
  private entitiesOf(accountId: string, chunk: number): Map<string, PolicyEntity> {
    const entities = new Map<string, PolicyEntity>();
    const pk = accountPk(accountId);
    for (const [sk, item] of this.entries(chunk)) {
      try {
        const entity = policyEntityOfItem(accountId, this.itemOf(item, pk, sk));
        if (entity) entities.set(sk, entity);
      } catch (error) {
        this.options.onMalformed?.(sk, error);
      }
    }
    return entities;
  }

  /** A stored item: an object of the account's partition (else the chunk is corrupt). */
  itemOf(item: unknown, pk: string, key: string): Record<string, unknown> {
    if (typeof item !== 'object' || item === null || (item as { PK?: unknown }).PK !== pk) {
      throw this.corrupt(`${key} of the snapshot is not an item of its account's partition`);
    }
    return item as Record<string, unknown>;
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

/** The items chunks of a snapshot as {@link ItemsChunks} hands them out. */
function itemsChunksOf(
  reader: SnapshotReader,
  header: SnapshotHeader,
  state: PolicyState,
  items: PersistentMap<Record<string, unknown>>,
  filing: Filing,
): ItemsChunks {
  /** Reads the chunks of `chunks` not held yet. */
  const fetch = async (chunks: Set<number>, read: ItemsChunkRead) => {
    const missing = reader.missing(chunks);
    if (missing.length > 0) await read(missing);
  };
  return {
    state,
    idSpan: reader.idSpan,
    isId: (bytes) => asBuffer(bytes).toString('hex') === header.id,
    span: (chunk) => reader.span(chunk),
    add: (chunk, bytes) => reader.addItemsChunk(chunk, asBuffer(bytes)),
    get whole() {
      return reader.hasItemsPart;
    },
    async readFor(keys, puts, read) {
      const touched = new Set(keys);
      const filed: [filingKey: string, sk: string][] = [];
      for (const item of puts) {
        const sk = String(item.SK);
        touched.add(sk);
        for (const key of filingKeys(item)) filed.push([key, sk]);
      }
      // 1. The items (and entities) of every key, and the filing buckets of the new items.
      const first = new Set<number>();
      for (const sk of touched) addChunk(first, header.items, sk);
      for (const [key] of filed) addChunk(first, header.filing, key);
      await fetch(first, read);
      // 2. The filing buckets of the items the change replaces or deletes.
      const second = new Set<number>();
      for (const sk of touched) {
        const old = items.get(sk);
        if (!old) continue;
        for (const key of filingKeys(old)) {
          filed.push([key, sk]);
          addChunk(second, header.filing, key);
        }
      }
      await fetch(second, read);
      // 3. The buckets of the large filing sets (stored with a layout of their own) that change.
      const third = new Set<number>();
      for (const [key, sk] of filed) {
        const set = filing.get(key);
        const layout = set && reader.layouts.get(set);
        if (layout) addChunk(third, layout, sk);
      }
      await fetch(third, read);
    },
  };
}

/** Adds the chunk of `key` in a map of `layout` to `chunks` (nothing for an empty bucket). */
function addChunk(chunks: Set<number>, layout: MapLayout, key: string): void {
  const chunk = chunkOfKey(layout, key);
  if (chunk !== undefined) chunks.add(chunk);
}

/**
 * The policy part of a snapshot of `accountId`, from its first bytes (at least
 * `snapshotHead(…).policyBytes` of them; more are ignored), with its `head` when it was read already. Throws {@link SnapshotDecodeError} for
 * another format, another account, a malformed header or missing bytes; a chunk found unreadable
 * later throws it from the read that needs it (and is told to `onCorrupt`).
 */
export function decodeSnapshotPolicy(
  bytes: Uint8Array,
  accountId: string,
  options: SnapshotReadOptions = {},
  head?: SnapshotHead,
): PolicyPart {
  const buffer = asBuffer(bytes);
  const { header, headEnd } = head ?? readHeader(buffer, accountId);
  const policyBytes = headEnd + policyEnd(header);
  if (buffer.length < policyBytes) throw new SnapshotDecodeError('the snapshot ends inside its policy part');
  const reader = new SnapshotReader(buffer.subarray(headEnd, policyBytes), header, headEnd, options);
  const index = Object.fromEntries(
    INDEX_MAPS.map((name) => [
      name,
      NESTED_INDEX_MAPS.has(name)
        ? reader.map(header.index[name], reader.nested, false)
        : reader.map(header.index[name], (value) => value, true),
    ]),
  ) as unknown as Omit<PolicyIndexMaps, 'entities'>;
  const pk = accountPk(accountId);
  const items = reader.map(header.items, (item) => reader.itemOf(item, pk, 'an item'), true);
  const filing = reader.map(header.filing, reader.nested, false) as Filing;
  const state: PolicyState = {
    accountId,
    version: header.version,
    evaluator: new Evaluator(
      PolicyIndex.restore(accountId, { ...index, entities: reader.entities(accountId) }),
    ),
    tokens: reader.map(header.tokens, (value) => value as StoredToken, true),
    items: IndexedItems.restore(items, filing),
  };
  return {
    state,
    items: header.items.size,
    itemsRange: { start: policyBytes, end: headEnd + bodyLength(header) },
    itemsChunks: itemsChunksOf(reader, header, state, items, filing),
    withItems(itemsPart) {
      reader.addItemsPart(asBuffer(itemsPart));
      return state;
    },
  };
}

/**
 * The complete state a whole snapshot of `accountId` holds, reading only its header (every map
 * decodes its buckets on first use). Throws {@link SnapshotDecodeError} as
 * {@link decodeSnapshotPolicy} does, and for a truncated snapshot or bytes past its end.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  accountId: string,
  options: SnapshotReadOptions = {},
): PolicyState {
  const part = decodeSnapshotPolicy(bytes, accountId, options);
  if (bytes.length !== part.itemsRange.end) {
    throw new SnapshotDecodeError('the snapshot is truncated or has bytes past its end');
  }
  try {
    return part.withItems(bytes.subarray(part.itemsRange.start));
  } catch (error) {
    if (error instanceof SnapshotReplacedError) {
      throw new SnapshotDecodeError('the snapshot id does not match its items part', { cause: error });
    }
    throw error;
  }
}
