import { type ByteSpan, coalesceSpans } from './byte-spans.js';
import { PolicyOnlyState, type SnapshotItemsSource } from './policy-only-state.js';
import { SnapshotDecodeError, SnapshotReplacedError } from './snapshot-format.js';
import {
  decodeSnapshotPolicy,
  type ItemsChunks,
  type PolicyPart,
  type SnapshotReadOptions,
  snapshotHead,
} from './snapshot-reader.js';
import type { SnapshotRange, SnapshotStore } from './snapshot-store.js';

/**
 * Reads an account's latest snapshot part by part (ranged GETs): the policy part at once — what a
 * cold instance needs to authorize —, of the items part only the chunks the changes it replays
 * reach, and the whole items part only when something needs every item (a management read, a write).
 */

/**
 * The first ranged read: the header, and the whole policy part of an account of a few thousand users
 * (larger ones read the rest of it with one more GET, once the header says how much).
 */
const FIRST_READ_BYTES = 1024 * 1024;
/** Chunks at most this far apart are read with one ranged GET (the bytes between cost less than a request). */
const COALESCE_GAP_BYTES = 8 * 1024;
/** The most ranged GETs one round of chunk reads sends (the gap grows until they are this few). */
const MAX_RANGES_PER_READ = 32;
/** Chunks amounting to more than this share of the items part are read as the whole items part. */
const WHOLE_PART_SHARE = 0.5;

/** A snapshot being read: its policy part decoded, its items read as they are needed. */
export interface OpenedSnapshot {
  readonly policy: PolicyPart;
  /** The snapshot's state as a policy-only state (no items chunk read yet). */
  readonly policyOnly: PolicyOnlyState;
}

/** Concatenates byte arrays. */
function joined(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
}

/**
 * Throws {@link SnapshotReplacedError} unless `range` is of the snapshot first read (`first`: same
 * length and, when the store tells them, the same entity tag) and holds the `expected` bytes.
 */
function checkSame(range: SnapshotRange | undefined, first: SnapshotRange, expected: number): Uint8Array {
  if (
    !range ||
    range.length !== first.length ||
    range.etag !== first.etag ||
    range.bytes.length !== expected
  ) {
    throw new SnapshotReplacedError('the snapshot was replaced while it was read');
  }
  return range.bytes;
}

/**
 * Reads the items part of an opened snapshot: chunk by chunk (coalesced ranged GETs, each checked to
 * be of the same snapshot) or whole (once, shared by every caller; a failed read is tried again by
 * the next call).
 */
class ItemsPartReader implements SnapshotItemsSource {
  private whole: Promise<void> | undefined;
  private bytesRead = 0;

  constructor(
    private readonly store: SnapshotStore,
    private readonly accountId: string,
    private readonly policy: PolicyPart,
    /** The bytes read first (the header and policy part, maybe more) and the range they came with. */
    private readonly head: Uint8Array,
    private readonly first: SnapshotRange,
  ) {}

  get chunks(): ItemsChunks {
    return this.policy.itemsChunks;
  }

  get itemsBytesRead(): number {
    return this.bytesRead;
  }

  async read(wanted: readonly number[]): Promise<void> {
    if (wanted.length === 0 || this.chunks.whole) return;
    // Chunks among the bytes read first need no request.
    const chunks: number[] = [];
    for (const chunk of wanted) {
      const span = this.chunks.span(chunk);
      if (span.end <= this.head.length) this.chunks.add(chunk, this.head.subarray(span.start, span.end));
      else chunks.push(chunk);
    }
    if (chunks.length === 0) return;
    const { start, end } = this.policy.itemsRange;
    const spans = chunks.map((chunk) => this.chunks.span(chunk));
    const needed = spans.reduce((total, span) => total + span.end - span.start, 0);
    if (needed > (end - start) * WHOLE_PART_SHARE) {
      await this.readAll();
      return;
    }
    // Without entity tags, each read also reads the snapshot's id to tell a replaced snapshot.
    const checkId = this.first.etag === undefined;
    const reads = coalesceSpans(
      checkId ? [...spans, this.chunks.idSpan] : spans,
      COALESCE_GAP_BYTES,
      MAX_RANGES_PER_READ,
    );
    const read = await Promise.all(reads.map((span) => this.range(span)));
    const at = (span: ByteSpan) => {
      const index = reads.findIndex((r) => r.start <= span.start && span.end <= r.end);
      const from = reads[index] as ByteSpan;
      return (read[index] as Uint8Array).subarray(span.start - from.start, span.end - from.start);
    };
    if (checkId && !this.chunks.isId(at(this.chunks.idSpan))) {
      throw new SnapshotReplacedError(
        'the items part read is not of the snapshot whose policy part was read',
      );
    }
    for (const [n, chunk] of chunks.entries()) this.chunks.add(chunk, at(spans[n] as ByteSpan));
  }

  readAll(): Promise<void> {
    this.whole ??= this.readWhole().catch((error: unknown) => {
      this.whole = undefined;
      throw error;
    });
    return this.whole;
  }

  private async readWhole(): Promise<void> {
    if (this.chunks.whole) return;
    const { start, end } = this.policy.itemsRange;
    const known = this.head.subarray(start);
    if (known.length >= end - start) {
      this.policy.withItems(known.subarray(0, end - start));
      return;
    }
    const rest = await this.range({ start: start + known.length, end });
    this.policy.withItems(joined([known, rest]));
  }

  /** One ranged GET of the snapshot, checked to be of the snapshot first read. */
  private async range(span: ByteSpan): Promise<Uint8Array> {
    const range = await this.store.getRange(this.accountId, span.start, span.end);
    const bytes = checkSame(range, this.first, span.end - span.start);
    this.bytesRead += bytes.length;
    return bytes;
  }
}

/**
 * The account's latest snapshot with its policy part read and decoded; `undefined` when it has none.
 * Throws `SnapshotDecodeError` for a snapshot that cannot be used, and the store's errors.
 */
export async function openSnapshot(
  store: SnapshotStore,
  accountId: string,
  options: SnapshotReadOptions = {},
): Promise<OpenedSnapshot | undefined> {
  const first = await store.getRange(accountId, 0, FIRST_READ_BYTES);
  if (!first) return undefined;
  const parts = [first.bytes];
  let read = first.bytes.length;
  let parsed = snapshotHead(first.bytes, accountId);
  for (;;) {
    const needed = typeof parsed === 'number' ? parsed : parsed.policyBytes;
    if (needed <= read) break;
    if (needed > first.length) throw new SnapshotDecodeError('the snapshot is shorter than its header says');
    const more = await store.getRange(accountId, read, needed);
    if (!more || more.bytes.length === 0)
      throw new SnapshotDecodeError('the snapshot ended while it was read');
    parts.push(more.bytes);
    read += more.bytes.length;
    if (typeof parsed === 'number') parsed = snapshotHead(joined(parts), accountId);
  }
  if (typeof parsed === 'number') throw new SnapshotDecodeError('the snapshot ends inside its header');
  const head = joined(parts);
  const policy = decodeSnapshotPolicy(head, accountId, options, parsed);
  const source = new ItemsPartReader(store, accountId, policy, head, first);
  return { policy, policyOnly: PolicyOnlyState.of(source) };
}
