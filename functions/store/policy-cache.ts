import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Evaluator } from '../core/evaluator.js';
import { readAccountVersion } from './change-log.js';
import { credentialsFromItems } from './credentials.js';
import { type StoredToken, snapshotFromItems } from './items.js';
import { ACCOUNT_META_SK, accountPk, CHANGE_LOG_END_SK, changeLogPk, changeSk } from './keys.js';

/** A cache older than this reloads in full rather than trusting a change log TTL may have trimmed. */
export const MAX_CACHE_AGE_MS = 60 * 60 * 1000;

/**
 * The evaluator and the API tokens (by `tokenId`, for `authenticate`) of an account as of a version
 * of its change log.
 */
export interface AccountPolicy {
  readonly accountId: string;
  readonly version: number;
  readonly evaluator: Evaluator;
  readonly tokens: ReadonlyMap<string, StoredToken>;
  /** Every item of the account partition by sort key, as of `version` (read-only; management reads use it). */
  readonly items: ReadonlyMap<string, Record<string, unknown>>;
}

interface CachedAccount {
  readonly version: number;
  readonly loadedAt: number;
  readonly items: ReadonlyMap<string, Record<string, unknown>>;
  readonly evaluator: Evaluator;
  readonly tokens: ReadonlyMap<string, StoredToken>;
}

/** Where the cache reports its cold loads and catch-ups (e.g. as metrics); durations in ms. */
export interface PolicyCacheObserver {
  coldLoaded(items: number, durationMs: number): void;
  caughtUp(changes: number, durationMs: number): void;
}

/** Where the cache reads from, how it tells time, and who observes it. */
export interface PolicyCacheOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now: () => number;
  readonly observer?: PolicyCacheObserver;
}

/**
 * Per-account policy state kept in the Lambda (DESIGN §4). A warm request costs one strongly
 * consistent Query of the account's change log for entries after the cached version — usually empty,
 * so the cached evaluator and tokens are used as is; otherwise the entries are replayed onto the
 * cached items and the evaluator and tokens are rebuilt. A cold (or too old) cache reads the
 * account's version, pages through the account partition and then replays the change log from that
 * version, so writes that land while it pages are not lost. A change entry marked `fullReload`
 * (a bulk load such as `migrate apply`) makes it reload the account in full. Every read is strongly consistent; errors propagate so callers fail closed.
 */
export class PolicyCache {
  private readonly accounts = new Map<string, CachedAccount>();

  constructor(private readonly options: PolicyCacheOptions) {}

  /** The account's current policy, or `undefined` when the account does not exist. */
  async current(accountId: string): Promise<AccountPolicy | undefined> {
    const cached = this.accounts.get(accountId);
    const fresh =
      cached && this.options.now() - cached.loadedAt < MAX_CACHE_AGE_MS
        ? await this.catchUp(accountId, cached, true)
        : await this.load(accountId);
    return (
      fresh && {
        accountId,
        version: fresh.version,
        evaluator: fresh.evaluator,
        tokens: fresh.tokens,
        items: fresh.items,
      }
    );
  }

  /** Forgets every cached account (tests and memory pressure). */
  clear(): void {
    this.accounts.clear();
  }

  private async load(accountId: string): Promise<CachedAccount | undefined> {
    const started = performance.now();
    const version = await readAccountVersion(this.options, accountId);
    if (version === undefined) {
      this.accounts.delete(accountId);
      return undefined;
    }
    const items = new Map<string, Record<string, unknown>>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': accountPk(accountId) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) if (item.SK !== ACCOUNT_META_SK) items.set(String(item.SK), item);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const loaded: CachedAccount = {
      version,
      loadedAt: this.options.now(),
      items,
      evaluator: new Evaluator(snapshotFromItems(accountId, [...items.values()])),
      tokens: credentialsFromItems(items.values()),
    };
    this.options.observer?.coldLoaded(items.size, performance.now() - started);
    return this.catchUp(accountId, loaded, false);
  }

  private async catchUp(
    accountId: string,
    cached: CachedAccount,
    reloadOnGap: boolean,
  ): Promise<CachedAccount | undefined> {
    const started = performance.now();
    const changes: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': changeLogPk(accountId),
            ':from': changeSk(cached.version + 1),
            ':to': CHANGE_LOG_END_SK,
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      changes.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    if (changes.length > 0 && changes[0]?.version !== cached.version + 1) {
      if (reloadOnGap) return this.load(accountId);
      throw new Error(`change log of ${accountId} has a gap after version ${cached.version}`);
    }
    if (changes.length === 0) {
      this.options.observer?.caughtUp(0, performance.now() - started);
      this.accounts.set(accountId, cached);
      return cached;
    }
    // A bulk load wrote items outside the log: only a full read of the partition sees them.
    if (changes.some((change) => change.fullReload === true)) return this.load(accountId);
    // Replay onto a copy and swap only when everything rebuilt, so a failure leaves no half-updated entry.
    const items = new Map(cached.items);
    let version = cached.version;
    for (const change of changes) {
      for (const item of (change.puts as Record<string, unknown>[] | undefined) ?? [])
        items.set(String(item.SK), item);
      for (const sk of (change.deletes as string[] | undefined) ?? []) items.delete(sk);
      version = Number(change.version);
    }
    const updated: CachedAccount = {
      version,
      loadedAt: cached.loadedAt,
      items,
      evaluator: new Evaluator(snapshotFromItems(accountId, [...items.values()])),
      tokens: credentialsFromItems(items.values()),
    };
    this.options.observer?.caughtUp(changes.length, performance.now() - started);
    this.accounts.set(accountId, updated);
    return updated;
  }
}
