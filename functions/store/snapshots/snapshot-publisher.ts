import type { PolicyCache } from '../policy-cache.js';
import type { SnapshotStore } from './snapshot-store.js';
import { encodeSnapshot, SnapshotChunkCache } from './snapshot-writer.js';

/** What one {@link SnapshotPublisher.publish} did. */
export type PublishOutcome =
  | { readonly kind: 'published'; readonly version: number; readonly bytes: number }
  | { readonly kind: 'current'; readonly version: number }
  | { readonly kind: 'no-account' };

/** What a publisher reads from and writes to. */
export interface SnapshotPublisherOptions {
  /** The publisher's own policy cache (it loads from the latest snapshot plus the change log, like any instance). */
  readonly cache: PolicyCache;
  readonly snapshots: SnapshotStore;
  readonly now: () => number;
  /** Publish once the account is at least this many versions past the stored snapshot (default 1). */
  readonly minVersionsBehind?: number;
}

/**
 * Publishes account snapshots (DESIGN §4 "Size independence"): brings its own cache of the account
 * up to date (strongly consistent, like a check) and, when the stored snapshot is behind by at least
 * `minVersionsBehind` versions (or missing), encodes its state (`snapshot-writer.ts`; only the
 * buckets that changed since its last publication are compressed again) and stores it. Runs after writes, never inside them: in AWS from the table's stream (each batch of change-log
 * inserts publishes each account once), locally from a poller (`LocalSnapshotPoller`). A snapshot
 * that lags only makes cold instances replay more of the change log; correctness never depends on it.
 */
export class SnapshotPublisher {
  private readonly stored = new Map<string, number>();
  /** The chunks of buckets encoded before: a publication compresses only what changed since. */
  private readonly chunks = new SnapshotChunkCache();

  constructor(private readonly options: SnapshotPublisherOptions) {}

  /** Publishes the account's snapshot when the stored one is behind. */
  async publish(accountId: string): Promise<PublishOutcome> {
    const policy = await this.options.cache.current(accountId);
    if (!policy) return { kind: 'no-account' };
    let stored = this.stored.get(accountId);
    if (stored === undefined || stored < policy.version) {
      stored = await this.options.snapshots.version(accountId);
      if (stored !== undefined) this.stored.set(accountId, stored);
    }
    if (stored !== undefined && policy.version - stored < (this.options.minVersionsBehind ?? 1)) {
      return { kind: 'current', version: stored };
    }
    const bytes = encodeSnapshot(policy, this.options.now(), this.chunks);
    await this.options.snapshots.put(accountId, policy.version, bytes);
    this.stored.set(accountId, policy.version);
    return { kind: 'published', version: policy.version, bytes: bytes.length };
  }
}
