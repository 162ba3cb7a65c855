import type { PolicyState } from '../policy-state.js';
import { SnapshotDecodeError } from './snapshot-format.js';
import {
  decodeSnapshotPolicy,
  type PolicyPart,
  type SnapshotReadOptions,
  snapshotHead,
} from './snapshot-reader.js';
import type { SnapshotStore } from './snapshot-store.js';

/**
 * Reads an account's latest snapshot part by part (ranged GETs): the policy part at once — what a
 * cold instance needs to authorize — and the items part only when something needs the items (a
 * management read, a write, a change to replay).
 */

/**
 * The first ranged read: the header, and the whole policy part of an account of a few thousand users
 * (larger ones read the rest of it with one more GET, once the header says how much).
 */
const FIRST_READ_BYTES = 1024 * 1024;

/** A snapshot being read: its policy part decoded, its items part read on first {@link complete}. */
export interface OpenedSnapshot {
  readonly policy: PolicyPart;
  /**
   * The complete state (the items part read once, shared by every caller; a failed read is tried
   * again by the next call). Throws `SnapshotReplacedError` when the snapshot was replaced meanwhile.
   */
  complete(): Promise<PolicyState>;
}

/** Concatenates byte arrays. */
function joined(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
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
  let completing: Promise<PolicyState> | undefined;
  const complete = async (): Promise<PolicyState> => {
    const { start, end } = policy.itemsRange;
    const known = head.subarray(start);
    if (known.length >= end - start) return policy.withItems(known.subarray(0, end - start));
    const rest = await store.getRange(accountId, start + known.length, end);
    return policy.withItems(joined([known, rest?.bytes ?? new Uint8Array()]));
  };
  return {
    policy,
    complete() {
      completing ??= complete().catch((error: unknown) => {
        completing = undefined;
        throw error;
      });
      return completing;
    },
  };
}
