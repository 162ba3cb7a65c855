import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { batchWrite, DEFAULT_CONCURRENCY, type WriteRequest } from '../../functions/store/batch-writer.js';
import {
  type ChangeLogTarget,
  type ChangeRecord,
  commitChange,
  readAccountVersion,
  VersionConflictError,
} from '../../functions/store/change-log.js';
import type { StoredItem } from '../../functions/store/items.js';
import { ACCOUNT_META_SK, accountPk, ENTITY, migrationSk } from '../../functions/store/keys.js';
import { stableHash } from '../mapping/identifiers.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';
import { itemContent, itemsToWrite } from '../plan/item-diff.js';
import { type PlannedItem, planItems } from '../plan/plan-items.js';
import { retiredMemberDeletes, staleAssignmentDeletes } from '../plan/stale-items.js';

/** What an apply did. `itemsWritten` counts item writes (0 on a repeated apply); `version` is the account version after it. */
export interface ApplyResult {
  readonly itemsPlanned: number;
  readonly itemsWritten: number;
  readonly committed: boolean;
  readonly version: number;
  /** Planned users not created because another user of the account already has their e-mail. */
  readonly usersSkipped: readonly {
    readonly userId: string;
    readonly email: string;
    readonly heldBy: string;
  }[];
}

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** Told the number of items written so far and the number to write. */
  readonly onProgress?: (written: number, total: number) => void;
  readonly concurrency?: number;
}

/** The account a plan targets does not exist in the table. */
export class MissingAccountError extends Error {
  override readonly name = 'MissingAccountError';
}

/** Every item of the account partition by sort key (strongly consistent, paged). */
export async function readAccountItems(
  target: ChangeLogTarget,
  accountId: string,
): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  const pages = paginateQuery(
    { client: target.client },
    {
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': accountPk(accountId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) if (item.SK !== ACCOUNT_META_SK) items.set(String(item.SK), item);
  }
  return items;
}

/** The items of a plan as DynamoDB would hold them (for benchmarks that write the same items raw). */
export function planTableItems(plan: MigrationPlan): StoredItem[] {
  return planItems(plan).map((entry) => entry.item);
}

/** The record of the plan last applied to the account: it carries the hash of the plan's items. */
function markerItem(plan: MigrationPlan, planned: readonly PlannedItem[]): StoredItem {
  return {
    PK: accountPk(plan.targetAccountId),
    SK: migrationSk(plan.sourceAccountId),
    entity: ENTITY.Migration,
    sourceAccountId: plan.sourceAccountId,
    planHash: stableHash(planned.map((entry) => itemContent(entry.item)).join('\n')),
    userGroups: plan.userGroups.map((group) => group.identifier).sort(),
  };
}

/** The user groups of the plan and of the earlier plans of its source (recorded by their applies). */
function migratedGroups(plan: MigrationPlan, storedMarker: Record<string, unknown> | undefined): Set<string> {
  const earlier = Array.isArray(storedMarker?.userGroups) ? storedMarker.userGroups : [];
  return new Set([
    ...plan.userGroups.map((group) => group.identifier),
    ...earlier.filter((identifier): identifier is string => typeof identifier === 'string'),
  ]);
}

/**
 * Applies a plan to its target account (DESIGN §9 `migrate apply`): reads the account partition
 * once, writes only the items that are missing or different — everything else first, the role
 * assignments last — with idempotent batch puts, then commits one change-log entry that moves the
 * account version, stores the migration record and tells policy caches to reload. A repeated apply
 * finds nothing to write and writes nothing at all; an apply interrupted at any point completes on
 * the next run to the same final table.
 */
export async function applyPlan(
  target: ChangeLogTarget,
  plan: MigrationPlan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const accountId = plan.targetAccountId;
  const version = await readAccountVersion(target, accountId);
  if (version === undefined)
    throw new MissingAccountError(`account ${accountId} does not exist in table ${target.tableName}`);
  const existing = await readAccountItems(target, accountId);
  const { planned, usersSkipped } = withoutEmailConflicts(planItems(plan), existing);
  const marker = markerItem(plan, planned);
  const storedMarker = existing.get(marker.SK);
  const revocations = staleAssignmentDeletes(
    accountId,
    existing,
    planned,
    migratedGroups(plan, storedMarker),
  );
  const retired = retiredMemberDeletes(existing, planned);
  const writes = itemsToWrite([...revocations, ...planned, ...retired], existing, target.now());
  const markerCurrent =
    storedMarker !== undefined &&
    storedMarker.planHash === marker.planHash &&
    Array.isArray(storedMarker.userGroups);
  if (writes.length === 0 && markerCurrent) {
    return { itemsPlanned: planned.length, itemsWritten: 0, committed: false, version, usersSkipped };
  }
  let written = 0;
  const total = writes.length + 1;
  options.onProgress?.(written, total);
  const progress = (count: number) => {
    written += count;
    options.onProgress?.(written, total);
  };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  for (const phase of [0, 1, 2, 3] as const) {
    const requests = writes
      .filter((entry) => entry.phase === phase)
      .map(
        (entry): WriteRequest =>
          entry.mode === 'absent'
            ? { DeleteRequest: { Key: { PK: entry.item.PK, SK: entry.item.SK } } }
            : { PutRequest: { Item: entry.item } },
      );
    await batchWrite(target.client, target.tableName, requests, progress, concurrency);
  }
  const record = await commitRecord(target, accountId, marker, storedMarker);
  progress(1);
  return {
    itemsPlanned: planned.length,
    itemsWritten: written,
    committed: true,
    version: record.version,
    usersSkipped,
  };
}

/**
 * The planned items without the users (and their account memberships) whose e-mail already belongs
 * to another user of the account: e-mails are unique per account and sign-in finds users by e-mail.
 */
function withoutEmailConflicts(
  planned: readonly PlannedItem[],
  existing: ReadonlyMap<string, Record<string, unknown>>,
): { planned: PlannedItem[]; usersSkipped: ApplyResult['usersSkipped'] } {
  const holders = new Map<string, string>();
  for (const item of existing.values()) {
    if (item.entity === ENTITY.User) holders.set(String(item.email), String(item.userId));
  }
  const usersSkipped: { userId: string; email: string; heldBy: string }[] = [];
  const skipped = new Set<string>();
  for (const { item } of planned) {
    if (item.entity !== ENTITY.User) continue;
    const heldBy = holders.get(String(item.email));
    if (heldBy !== undefined && heldBy !== item.userId) {
      usersSkipped.push({ userId: String(item.userId), email: String(item.email), heldBy });
      skipped.add(String(item.userId));
    }
  }
  if (skipped.size === 0) return { planned: [...planned], usersSkipped };
  const kept = planned.filter(
    ({ item }) =>
      !(
        (item.entity === ENTITY.User || item.entity === ENTITY.Membership) &&
        skipped.has(String(item.userId))
      ),
  );
  return { planned: kept, usersSkipped };
}

const COMMIT_ATTEMPTS = 5;

/** Commits the migration record with the full-reload change entry, re-reading the version after a concurrent write. */
async function commitRecord(
  target: ChangeLogTarget,
  accountId: string,
  marker: StoredItem,
  storedMarker: Record<string, unknown> | undefined,
): Promise<ChangeRecord> {
  const previous = Number(storedMarker?.version ?? 0);
  const operation =
    storedMarker === undefined
      ? ({ kind: 'create', item: { ...marker, version: 1 } } as const)
      : ({ kind: 'replace', item: { ...marker, version: previous + 1 }, expectedVersion: previous } as const);
  for (let attempt = 1; ; attempt++) {
    const version = await readAccountVersion(target, accountId);
    if (version === undefined) throw new MissingAccountError(`account ${accountId} vanished during apply`);
    try {
      return await commitChange(target, accountId, version, [operation], { fullReload: true });
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= COMMIT_ATTEMPTS) throw error;
    }
  }
}
