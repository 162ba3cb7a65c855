import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Evaluator } from '../core/evaluator.js';
import { readAccountVersion, readItem, readRange } from './change-log.js';
import type { StoredToken } from './entities/credentials.js';
import { ACCOUNT_META_SK, accountPk, CHANGE_LOG_END_SK, changeLogPk, changeSk } from './keys.js';
import {
  type AuthorizationState,
  applyChanges,
  type MalformedItemReporter,
  type PolicyState,
  stateFromItems,
} from './policy-state.js';
import type { PolicyOnlyState } from './snapshots/policy-only-state.js';
import { type SnapshotDecodeError, SnapshotReplacedError } from './snapshots/snapshot-format.js';
import { openSnapshot } from './snapshots/snapshot-loader.js';
import type { SnapshotStore } from './snapshots/snapshot-store.js';

/** A cache older than this reloads in full rather than trusting a change log TTL may have trimmed. */
export const MAX_CACHE_AGE_MS = 60 * 60 * 1000;

/**
 * With `minimize-latency`, a cached account is used without reading the change log while its last
 * change-log read was sent less than this long ago: the bounded staleness of that mode.
 */
export const MINIMIZE_LATENCY_INTERVAL_MS = 1_000;

/** How many times a request re-loads an account that keeps being bulk-loaded under it before it fails. */
const MAX_RELOADS = 3;

/**
 * The evaluator and the API tokens (by `tokenId`, for `authenticate`) of an account as of a version
 * of its change log. The cache hands out {@link PolicyState}s (persistent: `applyChange` and
 * `policyAfter` derive a changed one in O(size of the change)).
 */
export interface AccountPolicy {
  readonly accountId: string;
  readonly version: number;
  readonly evaluator: Evaluator;
  readonly tokens: ReadonlyMap<string, StoredToken>;
  /** Every item of the account partition by sort key, as of `version` (read-only; management reads use it). */
  readonly items: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * How fresh the policy a request is answered from must be (DESIGN §4 "Consistency choice"):
 * `fully-consistent` reads the change log (every committed write is seen); `at-least-as-fresh`
 * needs no read once the cache is at or past `version` (a write's consistency token); and
 * `minimize-latency` reads the change log at most once per {@link MINIMIZE_LATENCY_INTERVAL_MS}.
 */
export type Consistency =
  | { readonly mode: 'fully-consistent' }
  | { readonly mode: 'at-least-as-fresh'; readonly version: number }
  | { readonly mode: 'minimize-latency' };

/** The default consistency: every committed write is seen. */
export const FULLY_CONSISTENT: Consistency = { mode: 'fully-consistent' };

/**
 * A cached account: a complete state, or — while only its snapshot's policy part (and the items
 * chunks the changes replayed since reached) was read — a policy-only one that completes itself.
 */
type CachedAccount = CachedAccountInfo &
  (
    | { readonly state: PolicyState; readonly policyOnly?: undefined }
    | { readonly state: AuthorizationState; readonly policyOnly: PolicyOnlyState }
  );

interface CachedAccountInfo {
  /** How many items the account partition had when it was loaded (for the cold-load metric). */
  readonly items: number;
  /** The version of the snapshot the state was loaded from (`undefined`: from the partition). */
  readonly loadedFrom?: number;
  readonly loadedAt: number;
  /** When the last change-log read this state reflects was sent. */
  readonly checkedAt: number;
}

/** Where the cache reports its cold loads and catch-ups (e.g. as metrics); durations in ms. */
export interface PolicyCacheObserver {
  coldLoaded(items: number, durationMs: number): void;
  caughtUp(changes: number, durationMs: number): void;
  /** An item of the account that does not decode: it grants nothing, the account's other decisions go on. */
  malformedItem?(accountId: string, sortKey: string, error: unknown): void;
}

/** Where the cache reads from, how it tells time, and who observes it. */
export interface PolicyCacheOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now: () => number;
  readonly observer?: PolicyCacheObserver;
  /** Account snapshots; without them a cold load pages the account partition. */
  readonly snapshots?: SnapshotStore;
  /** Told when a snapshot could not be read or decoded (the partition is read instead). */
  readonly onSnapshotError?: (accountId: string, error: unknown) => void;
}

interface ChangeEntry {
  readonly version: number;
  readonly puts: readonly Record<string, unknown>[];
  readonly deletes: readonly string[];
  readonly retired: readonly string[];
  readonly staged: readonly string[];
  readonly putKeys: readonly string[];
  readonly fullReload: boolean;
}

type CatchUp = { readonly kind: 'current'; readonly cached: CachedAccount } | { readonly kind: 'reload' };

/**
 * Per-account policy state kept in the Lambda (DESIGN §4). A warm request costs one strongly
 * consistent Query of the account's change log for entries after the cached version — usually empty,
 * so the cached state is used as is; otherwise the entries are applied to it in O(size of the change)
 * (persistent structures: the previous state keeps serving until the new one is complete). A cold
 * (or too old) cache reads the header and policy part of the account's latest snapshot from the blob
 * store and replays the change log after its version, checking the account's version so that no
 * trimmed entry goes unnoticed; of the snapshot's items part, a change to replay reads only the chunks
 * it touches (`PolicyOnlyState`), and the rest is read when every item is first needed
 * ({@link current}; {@link authorization} never needs it); the account partition is paged only
 * when there is no usable snapshot. Concurrent requests that find an
 * account cold share one load. A change entry marked `fullReload` (a bulk load such as
 * `migrate apply`) makes the account load again. An item that does not decode grants nothing and is
 * reported to the observer; the account's other decisions go on. Every DynamoDB read is strongly consistent; errors
 * propagate so callers fail closed.
 */
export class PolicyCache {
  private readonly accounts = new Map<string, CachedAccount>();
  private readonly loads = new Map<string, Promise<CachedAccount | undefined>>();
  /** The version of each account's stored snapshot found corrupt: it is not used again. */
  private readonly corruptSnapshots = new Map<string, number>();

  constructor(private readonly options: PolicyCacheOptions) {}

  /**
   * The account's complete policy state (items included) as fresh as `consistency` asks, or
   * `undefined` when the account does not exist.
   */
  async current(
    accountId: string,
    consistency: Consistency = FULLY_CONSISTENT,
  ): Promise<PolicyState | undefined> {
    for (let attempt = 0; attempt < MAX_RELOADS; attempt++) {
      const cached = await this.freshAccount(accountId, consistency);
      if (!cached) return undefined;
      const complete = await this.completed(accountId, cached);
      if (complete) return complete.state;
    }
    throw new Error(
      `the snapshot of account ${accountId} was replaced ${MAX_RELOADS} times while it was read`,
    );
  }

  /**
   * What authorizing a request in the account needs — its evaluator and API tokens — as fresh as
   * `consistency` asks, or `undefined` when the account does not exist. A cold instance answers from
   * a snapshot's policy part without reading the items.
   */
  async authorization(
    accountId: string,
    consistency: Consistency = FULLY_CONSISTENT,
  ): Promise<AuthorizationState | undefined> {
    return (await this.freshAccount(accountId, consistency))?.state;
  }

  /** The cached account as fresh as `consistency` asks (loaded or caught up as needed). */
  private async freshAccount(
    accountId: string,
    consistency: Consistency,
  ): Promise<CachedAccount | undefined> {
    for (let attempt = 0; attempt < MAX_RELOADS; attempt++) {
      let cached = this.accounts.get(accountId);
      if (cached && this.options.now() - cached.loadedAt >= MAX_CACHE_AGE_MS) cached = undefined;
      if (!cached) {
        const { load, joined } = this.sharedLoad(accountId);
        const loaded = await load;
        // A load this request started read the change log after it arrived; a joined one may not have.
        if (!loaded || !joined) return loaded;
        cached = loaded;
      } else if (this.fresh(cached, consistency)) {
        return cached;
      }
      const outcome = await this.catchUp(accountId, cached);
      if (outcome.kind === 'current') return outcome.cached;
      if (this.accounts.get(accountId) === cached) this.accounts.delete(accountId);
    }
    throw new Error(`account ${accountId} was bulk-loaded ${MAX_RELOADS} times while it was being read`);
  }

  /**
   * `cached` with its items: as it is, or with its snapshot's items part read (kept in its place);
   * `undefined` when the snapshot was replaced meanwhile (the account is dropped: load it again).
   */
  private async completed(
    accountId: string,
    cached: CachedAccount,
  ): Promise<(CachedAccount & { readonly state: PolicyState }) | undefined> {
    if (!cached.policyOnly) return cached;
    try {
      const state = await cached.policyOnly.complete();
      const { policyOnly: _completed, ...rest } = cached;
      const complete = { ...rest, state };
      if (this.accounts.get(accountId) === cached) this.accounts.set(accountId, complete);
      return complete;
    } catch (error) {
      if (!(error instanceof SnapshotReplacedError)) throw error;
      if (this.accounts.get(accountId) === cached) this.accounts.delete(accountId);
      return undefined;
    }
  }

  /** The accounts this cache holds state of. */
  knownAccounts(): string[] {
    return [...this.accounts.keys()];
  }

  /** Forgets every cached account (tests and memory pressure). */
  clear(): void {
    this.accounts.clear();
  }

  private fresh(cached: CachedAccount, consistency: Consistency): boolean {
    switch (consistency.mode) {
      case 'fully-consistent':
        return false;
      case 'at-least-as-fresh':
        return cached.state.version >= consistency.version;
      case 'minimize-latency':
        return this.options.now() - cached.checkedAt < MINIMIZE_LATENCY_INTERVAL_MS;
    }
  }

  /** Reports the account's undecodable items to the observer (they grant nothing). */
  private reporter(accountId: string): MalformedItemReporter {
    return (sortKey, error) => this.options.observer?.malformedItem?.(accountId, sortKey, error);
  }

  /** The account's load in flight (joined) or a new one (started by this caller). */
  private sharedLoad(accountId: string): { load: Promise<CachedAccount | undefined>; joined: boolean } {
    const inFlight = this.loads.get(accountId);
    if (inFlight) return { load: inFlight, joined: true };
    const load = this.load(accountId).finally(() => this.loads.delete(accountId));
    this.loads.set(accountId, load);
    return { load, joined: false };
  }

  /** Keeps `cached` unless a state at least as new is already kept. */
  private remember(accountId: string, cached: CachedAccount): CachedAccount {
    const kept = this.accounts.get(accountId);
    if (!kept || cached.state.version >= kept.state.version) this.accounts.set(accountId, cached);
    return cached;
  }

  private async load(accountId: string): Promise<CachedAccount | undefined> {
    const started = performance.now();
    const fromSnapshot = await this.loadFromSnapshot(accountId);
    if (fromSnapshot !== 'unusable') {
      if (fromSnapshot) this.options.observer?.coldLoaded(fromSnapshot.items, performance.now() - started);
      return fromSnapshot && this.remember(accountId, fromSnapshot);
    }
    for (let attempt = 0; attempt < MAX_RELOADS; attempt++) {
      const loaded = await this.loadFromPartition(accountId);
      if (!loaded) {
        this.accounts.delete(accountId);
        return undefined;
      }
      const outcome = await this.catchUp(accountId, loaded);
      if (outcome.kind === 'current') {
        this.options.observer?.coldLoaded(outcome.cached.items, performance.now() - started);
        return outcome.cached;
      }
    }
    throw new Error(`account ${accountId} was bulk-loaded ${MAX_RELOADS} times while it was being read`);
  }

  /**
   * The account from its latest snapshot plus the change log after it; `undefined` when the account
   * does not exist; `unusable` when there is no snapshot, it cannot be read, or the log no longer
   * reaches back to it (a bulk load after it, or entries trimmed by the TTL).
   */
  private async loadFromSnapshot(accountId: string): Promise<CachedAccount | undefined | 'unusable'> {
    const { snapshots } = this.options;
    if (!snapshots) return 'unusable';
    let opened: Awaited<ReturnType<typeof openSnapshot>>;
    let version = -1;
    try {
      opened = await openSnapshot(snapshots, accountId, {
        onMalformed: this.reporter(accountId),
        onCorrupt: (error) => this.snapshotCorrupt(accountId, version, error),
      });
      if (!opened) return 'unusable';
      version = opened.policy.state.version;
      if (this.corruptSnapshots.get(accountId) === version) return 'unusable';
    } catch (error) {
      this.options.onSnapshotError?.(accountId, error);
      return 'unusable';
    }
    const checkedAt = this.options.now();
    const [changes, current] = await Promise.all([
      this.readChanges(accountId, version),
      readAccountVersion(this.options, accountId),
    ]);
    if (current === undefined) return undefined;
    if (!contiguous(changes, version) || changes.some((change) => change.fullReload)) return 'unusable';
    const loaded = { loadedAt: checkedAt, checkedAt, loadedFrom: version, items: opened.policy.items };
    if (changes.length === 0) {
      if (version < current) return 'unusable';
      return { ...loaded, state: opened.policyOnly.state, policyOnly: opened.policyOnly };
    }
    let replayed: PolicyOnlyState;
    try {
      replayed = await opened.policyOnly.replay(changes, this.reporter(accountId));
    } catch (error) {
      if (error instanceof SnapshotReplacedError || this.corruptSnapshots.get(accountId) === version) {
        return 'unusable';
      }
      throw error;
    }
    if (replayed.version < current) return 'unusable';
    return { ...loaded, state: replayed.state, policyOnly: replayed };
  }

  /**
   * A chunk of the account's snapshot at `version` could not be read (the read that needed it fails
   * closed): the account is dropped, and that snapshot is not used again — the next load reads the
   * partition (or a newer snapshot).
   */
  private snapshotCorrupt(accountId: string, version: number, error: SnapshotDecodeError): void {
    this.corruptSnapshots.set(accountId, version);
    const cached = this.accounts.get(accountId);
    if (cached && cached.loadedFrom === version) this.accounts.delete(accountId);
    this.options.onSnapshotError?.(accountId, error);
  }

  /** The account read from its partition (all pages), at the version read just before; `undefined` when it does not exist. */
  private async loadFromPartition(accountId: string): Promise<CachedAccount | undefined> {
    const version = await readAccountVersion(this.options, accountId);
    if (version === undefined) return undefined;
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.options.client },
      {
        TableName: this.options.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(accountId) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) if (item.SK !== ACCOUNT_META_SK) items.push(item);
    }
    const loadedAt = this.options.now();
    return {
      state: stateFromItems(accountId, version, items, this.reporter(accountId)),
      loadedAt,
      checkedAt: loadedAt,
      items: items.length,
    };
  }

  /**
   * Reads the change log after the cached version and applies it; `reload` when it cannot be
   * applied (a gap, or a bulk load, or a snapshot replaced before the items chunks the change
   * touches could be read). A failure to apply propagates and leaves the cached state as it was.
   */
  private async catchUp(accountId: string, cached: CachedAccount): Promise<CatchUp> {
    const started = performance.now();
    const checkedAt = this.options.now();
    const changes = await this.readChanges(accountId, cached.state.version);
    if (!contiguous(changes, cached.state.version) || changes.some((change) => change.fullReload)) {
      return { kind: 'reload' };
    }
    if (changes.length === 0) {
      return { kind: 'current', cached: this.remember(accountId, { ...cached, checkedAt }) };
    }
    if (cached.policyOnly) {
      let replayed: PolicyOnlyState;
      try {
        replayed = await cached.policyOnly.replay(changes, this.reporter(accountId));
      } catch (error) {
        if (!(error instanceof SnapshotReplacedError)) throw error;
        if (this.accounts.get(accountId) === cached) this.accounts.delete(accountId);
        return { kind: 'reload' };
      }
      this.options.observer?.caughtUp(changes.length, performance.now() - started);
      return {
        kind: 'current',
        cached: this.remember(accountId, {
          ...cached,
          state: replayed.state,
          policyOnly: replayed,
          checkedAt,
        }),
      };
    }
    const state = applyChanges(cached.state, changes, this.reporter(accountId));
    this.options.observer?.caughtUp(changes.length, performance.now() - started);
    return { kind: 'current', cached: this.remember(accountId, { ...cached, state, checkedAt }) };
  }

  /** The change-log entries after `version`, in order (one strongly consistent Query, paged). */
  private async readChanges(accountId: string, version: number): Promise<ChangeEntry[]> {
    const changes: ChangeEntry[] = [];
    const pages = paginateQuery(
      { client: this.options.client },
      {
        TableName: this.options.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': changeLogPk(accountId),
          ':from': changeSk(version + 1),
          ':to': CHANGE_LOG_END_SK,
        },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) changes.push(changeEntryOf(item));
    }
    return Promise.all(changes.map((change) => this.withStagedItems(accountId, change)));
  }

  /**
   * The change with the items of its staged key ranges among its puts (a change too big for one
   * transaction wrote them before it): one strongly consistent, paged Query per range — O(size of
   * the change); and the items it names by key (too big to repeat), one strongly consistent read each. Later changes may already have added, deleted or retired items of the range; they
   * are replayed right after, so the state reached is the committed one.
   */
  private async withStagedItems(accountId: string, change: ChangeEntry): Promise<ChangeEntry> {
    if (change.staged.length === 0 && change.putKeys.length === 0) return change;
    const [staged, named] = await Promise.all([
      Promise.all(change.staged.map((range) => readRange(this.options, accountId, range))),
      Promise.all(change.putKeys.map((sk) => readItem(this.options, accountId, sk))),
    ]);
    const found = named.filter((item): item is Record<string, unknown> => item !== undefined);
    return { ...change, puts: [...staged.flat(), ...found, ...change.puts] };
  }
}

function changeEntryOf(item: Record<string, unknown>): ChangeEntry {
  const version = Number(item.version);
  if (!Number.isInteger(version)) throw new Error(`change-log item ${String(item.SK)} has no version`);
  return {
    version,
    puts: (item.puts as Record<string, unknown>[] | undefined) ?? [],
    deletes: (item.deletes as string[] | undefined) ?? [],
    retired: (item.retired as string[] | undefined) ?? [],
    staged: (item.staged as string[] | undefined) ?? [],
    putKeys: (item.putKeys as string[] | undefined) ?? [],
    fullReload: item.fullReload === true,
  };
}

/** Whether `changes` start right after `version` (an empty list does too). */
function contiguous(changes: readonly ChangeEntry[], version: number): boolean {
  return changes.length === 0 || changes[0]?.version === version + 1;
}
