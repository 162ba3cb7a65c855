import {
  type AuthorizationState,
  applyChanges,
  changedKeys,
  type MalformedItemReporter,
  type PolicyState,
  type VersionedChange,
} from '../policy-state.js';
import { ItemsChunkUnreadError } from './snapshot-format.js';
import type { ItemsChunks } from './snapshot-reader.js';

/** Where a {@link PolicyOnlyState} reads the items part of its snapshot from. */
export interface SnapshotItemsSource {
  /** The snapshot's items part, chunk by chunk. */
  readonly chunks: ItemsChunks;
  /** Reads these chunks (not held yet) of the items part; throws `SnapshotReplacedError` when the snapshot was replaced. */
  read(chunks: readonly number[]): Promise<void>;
  /** Reads the whole items part (once); throws `SnapshotReplacedError` when the snapshot was replaced. */
  readAll(): Promise<void>;
  /** How many bytes of the items part were read so far. */
  readonly itemsBytesRead: number;
}

/** Chunks a replay may read one by one beyond those planned before it reads the whole items part. */
const MAX_UNPLANNED_CHUNKS = 8;

/**
 * An account's state from a snapshot of which only the policy part, and of the items part only the
 * chunks the changes replayed since reached, were read (DESIGN §4 "Size independence"): it
 * authorizes ({@link state}), it follows a change reading only what the change touches
 * ({@link replay}: O(size of the change), not O(account)), and it is completed — the rest of the
 * items part read once — when something needs every item ({@link complete}). Immutable: a replay
 * returns a new state and leaves this one serving.
 */
export class PolicyOnlyState {
  private constructor(
    private readonly source: SnapshotItemsSource,
    /** The state with its items, of which only the chunks read so far can be read before {@link complete}. */
    private readonly held: PolicyState,
  ) {}

  /** The snapshot's own state (no change replayed). */
  static of(source: SnapshotItemsSource): PolicyOnlyState {
    return new PolicyOnlyState(source, source.chunks.state);
  }

  /** What authorizing needs: the evaluator and the tokens, at {@link version}. */
  get state(): AuthorizationState {
    return this.held;
  }

  /** The change-log version the state is at. */
  get version(): number {
    return this.held.version;
  }

  /** How many bytes of the snapshot's items part were read so far (by this state and every one it shares its snapshot with). */
  get itemsBytesRead(): number {
    return this.source.itemsBytesRead;
  }

  /**
   * The state after `changes` (in order, each at its version): first the items chunks they reach are
   * read (a few ranged GETs; the whole items part when they are most of it), then they are applied
   * as to a complete state, with the same decisions. A malformed put item grants nothing and is told
   * to `onMalformed`. Throws `SnapshotReplacedError` (load again) or `SnapshotDecodeError` (a
   * damaged chunk) and the store's errors; this state is left as it was.
   */
  async replay(
    changes: readonly VersionedChange[],
    onMalformed?: MalformedItemReporter,
  ): Promise<PolicyOnlyState> {
    const keys = changes.flatMap((change) => changedKeys(this.held, change));
    const puts = changes.flatMap((change) => change.puts);
    await this.source.chunks.readFor(keys, puts, (chunks) => this.source.read(chunks));
    for (let unplanned = 0; ; unplanned++) {
      try {
        return new PolicyOnlyState(this.source, applyChanges(this.held, changes, onMalformed));
      } catch (error) {
        // A chunk the plan did not foresee (e.g. a map re-spread by growth): read it and apply again.
        if (!(error instanceof ItemsChunkUnreadError) || unplanned > MAX_UNPLANNED_CHUNKS) throw error;
        if (unplanned < MAX_UNPLANNED_CHUNKS) await this.source.read([error.chunk]);
        else await this.source.readAll();
      }
    }
  }

  /**
   * The complete state (every item readable): the rest of the items part is read once for the
   * snapshot, whatever changes were replayed since. Throws as {@link replay} does.
   */
  async complete(): Promise<PolicyState> {
    await this.source.readAll();
    return this.held;
  }
}
