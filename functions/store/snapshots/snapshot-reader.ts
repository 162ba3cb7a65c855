import { inflateSync } from 'node:zlib';
import * as z from 'zod';
import { Evaluator } from '../../core/evaluator.js';
import { LazyBucket, PersistentMap } from '../../core/persistent-map.js';
import { type PolicyEntity, PolicyIndex, type PolicyIndexMaps } from '../../core/policy-index.js';
import type { StoredToken } from '../entities/credentials.js';
import { policyEntityOfItem } from '../entities/policy-entities.js';
import { type Filing, IndexedItems } from '../indexed-items.js';
import { accountPk } from '../keys.js';
import type { AuthorizationState, MalformedItemReporter, PolicyState } from '../policy-state.js';
import {
  ID_BYTES,
  INDEX_MAPS,
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
  /**
   * The complete state, given the items part (the bytes of `itemsRange`); throws
   * {@link SnapshotReplacedError} when they are of another snapshot.
   */
  withItems(itemsPart: Uint8Array): PolicyState;
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

/** Reads chunks of one snapshot on demand: the policy part's at once, the items part's once given. */
class SnapshotReader {
  private itemsBody: Buffer | undefined;

  constructor(
    private readonly policyBody: Buffer,
    private readonly header: SnapshotHeader,
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
  }

  /**
   * A map whose buckets read their chunks on first use; `decode` turns JSON data back into a value.
   * The buckets of a map of `plain` values keep their chunk (see `SnapshotChunkCache`).
   */
  map<V>(layout: MapLayout, decode: (value: unknown) => V, plain: boolean): PersistentMap<V> {
    if ((layout.buckets.length & (layout.buckets.length - 1)) !== 0) {
      throw this.corrupt(`a map of the snapshot has ${layout.buckets.length} buckets`);
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

  /** A nested map stored inline or with a layout of its own. */
  nested = (value: unknown): PersistentMap<unknown> => {
    const nested = value as Partial<{ i: [string, unknown][]; m: MapLayout }>;
    if (Array.isArray(nested.i)) return PersistentMap.from(nested.i);
    const layout = mapLayout.safeParse(nested.m);
    if (!layout.success) throw this.corrupt('a nested map of the snapshot is malformed');
    return this.map(layout.data, (entry) => entry, true);
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

  /** The compressed bytes of one chunk. */
  chunk(chunk: number): Buffer {
    const { chunkEnds, policyChunks } = this.header;
    const itemsStart = policyEnd(this.header) + ID_BYTES;
    const start = chunk === 0 ? 0 : chunk === policyChunks ? itemsStart : chunkEnds[chunk - 1];
    const end = chunkEnds[chunk];
    if (start === undefined || end === undefined || start > end) {
      throw this.corrupt(`chunk ${chunk} of the snapshot is out of range`);
    }
    if (chunk < policyChunks) return this.policyBody.subarray(start, end);
    if (!this.itemsBody) throw this.corrupt(`chunk ${chunk} is in the items part, which was not read`);
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
  const reader = new SnapshotReader(buffer.subarray(headEnd, policyBytes), header, options);
  const index = Object.fromEntries(
    INDEX_MAPS.map((name) => [
      name,
      NESTED_INDEX_MAPS.has(name)
        ? reader.map(header.index[name], reader.nested, false)
        : reader.map(header.index[name], (value) => value, true),
    ]),
  ) as unknown as Omit<PolicyIndexMaps, 'entities'>;
  const state = {
    accountId,
    version: header.version,
    evaluator: new Evaluator(
      PolicyIndex.restore(accountId, { ...index, entities: reader.entities(accountId) }),
    ),
    tokens: reader.map(header.tokens, (value) => value as StoredToken, true),
  };
  const pk = accountPk(accountId);
  return {
    state,
    items: header.items.size,
    itemsRange: { start: policyBytes, end: headEnd + bodyLength(header) },
    withItems(itemsPart) {
      reader.addItemsPart(asBuffer(itemsPart));
      const items = reader.map(header.items, (item) => reader.itemOf(item, pk, 'an item'), true);
      return {
        ...state,
        items: IndexedItems.restore(items, reader.map(header.filing, reader.nested, false) as Filing),
      };
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
