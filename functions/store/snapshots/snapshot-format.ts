import * as z from 'zod/mini';
import type { PolicyIndexMaps } from '../../core/policy-index.js';

/**
 * The layout of an account's policy snapshot (DESIGN §4 "Size independence"), shared by its writer
 * (`snapshot-writer.ts`) and its reader (`snapshot-reader.ts`). A snapshot holds the persistent maps
 * of a policy state bucket by bucket, one zlib JSON chunk per bucket, in two parts:
 *
 * - the **policy part** — the evaluator's indexes and the API tokens: everything an authorization
 *   needs, read by every cold instance;
 * - the **items part** — the partition's items (from which the evaluator's entities are decoded) and
 *   their secondary index: what management reads and a change need, read on first such use.
 *
 * Bytes: `NRBS`, the header's length (32-bit big-endian), the header (zlib JSON), the policy chunks,
 * the snapshot's 16-byte id (which the header names too, so that an items part read later can be
 * told to be of the same snapshot), then the items chunks.
 */

/** The format tag of a snapshot header. */
export const SNAPSHOT_FORMAT = 'nextgen-rbac.policy-snapshot';
/** The format version written; a snapshot of another format version is not used (the partition is read instead). */
export const SNAPSHOT_FORMAT_VERSION = 2;
/** The first bytes of every snapshot. */
export const SNAPSHOT_MAGIC = 'NRBS';
/** The magic and the header's length. */
export const PREFIX_BYTES = 8;
/** The length of a snapshot's id. */
export const ID_BYTES = 16;
/** A snapshot spreads each map so that a bucket holds about this many entries (lazy reads stay small). */
const ENTRIES_PER_CHUNK = 32;
/** The most buckets a snapshot spreads one map over. */
const MAX_CHUNKS_PER_MAP = 16_384;
/** Nested maps (a group's members, a filing key's items) of at most this many entries are stored inline. */
export const INLINE_ENTRIES = 256;

/** Whether `value` is a list of integers of at least `min` (a loop: these lists are the header's bulk). */
function isIntegerList(value: unknown, min: number): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!Number.isInteger(item) || item < min) return false;
  return true;
}

/** A list of integers of at least `min`, checked in one loop. */
const integers = (min: number, what: string) =>
  z.custom<number[]>((value) => isIntegerList(value, min), { error: `must be a list of ${what}` });

/** A non-negative integer. */
const count = () => z.number().check(z.int(), z.nonnegative());

/** Where a map's buckets are: the chunk of each bucket (-1: empty); its length is a power of two. */
export const mapLayout = z.object({
  size: count(),
  buckets: integers(-1, 'chunk numbers').check(
    z.refine((buckets) => buckets.length > 0, 'must not be empty'),
  ),
});
/** Where a map's buckets are. */
export type MapLayout = z.infer<typeof mapLayout>;

/** The evaluator's index maps a snapshot stores (the entities are decoded from the items). */
export const INDEX_MAPS = [
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
/** The name of a stored index map. */
export type IndexMapName = (typeof INDEX_MAPS)[number];
/** The index maps whose values are maps themselves. */
export const NESTED_INDEX_MAPS: ReadonlySet<IndexMapName> = new Set([
  'membersByIncarnation',
  'membersByScope',
]);

/** A snapshot's header. */
export const snapshotHeader = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  accountId: z.string().check(z.minLength(1)),
  version: count(),
  publishedAt: count(),
  /** The snapshot's id (hex), also the first bytes of its items part. */
  id: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  tokens: mapLayout,
  index: z.object(
    Object.fromEntries(INDEX_MAPS.map((name) => [name, mapLayout])) as Record<IndexMapName, typeof mapLayout>,
  ),
  items: mapLayout,
  /** The number of the evaluator's entities (the policy items among the items). */
  entities: count(),
  filing: mapLayout,
  /**
   * Where each chunk ends, in bytes from the end of the header: the policy chunks, then (after the
   * id, which is not a chunk) the items chunks.
   */
  chunkEnds: integers(0, 'byte offsets'),
  /** How many chunks the policy part has (the items part starts where the last of them ends). */
  policyChunks: count(),
});
/** A snapshot's header. */
export type SnapshotHeader = z.infer<typeof snapshotHeader>;

/** Why a stored snapshot, or one of its chunks, was not used. */
export class SnapshotDecodeError extends Error {
  override readonly name = 'SnapshotDecodeError';
}

/** The account's snapshot was replaced between the reads of its two parts (read it again). */
export class SnapshotReplacedError extends Error {
  override readonly name = 'SnapshotReplacedError';
}

/**
 * A chunk of the items part was needed before it was read (an items part is read chunk by chunk
 * for the changes a policy-only state replays): read it and try again. Says nothing about the
 * snapshot's bytes.
 */
export class ItemsChunkUnreadError extends Error {
  override readonly name = 'ItemsChunkUnreadError';

  constructor(readonly chunk: number) {
    super(`chunk ${chunk} is in the items part of the snapshot, which was not read there`);
  }
}

/** A nested map as a chunk stores it: inline entries, or a layout of chunks of its own. */
export type NestedValue = { readonly i: readonly [string, unknown][] } | { readonly m: MapLayout };

/** The bucket count a snapshot spreads `size` entries over: a power of two, at least `current`. */
export function chunkCount(size: number, current: number): number {
  let count = current;
  while (size > count * ENTRIES_PER_CHUNK && count < MAX_CHUNKS_PER_MAP) count *= 2;
  return count;
}
