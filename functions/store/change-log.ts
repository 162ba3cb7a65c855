import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, paginateQuery, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut, batchWrite } from './batch-writer.js';
import { itemSize, MAX_ITEM_BYTES, MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES } from './item-size.js';
import type { StoredItem } from './items.js';
import { ACCOUNT_META_SK, accountPk, changeLogPk, changeSk, ENTITY } from './keys.js';

/** How long change-log entries are kept before DynamoDB's TTL may remove them (a backstop only). */
export const CHANGE_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * A write to the account partition, with the condition it requires. `stage` creates an item no
 * committed item refers to yet (a member of a user group's new incarnation, under the key range
 * `range`): inside a transaction it is a create; a change too big for one transaction writes it
 * before the transaction, and the change entry names `range` instead of repeating the item. `retire`
 * drops the `count` items of key range `range` (the members of an incarnation no group has any
 * more): caches drop them when they apply the change, and the items are deleted after the commit.
 */
export type ChangeOperation =
  | { readonly kind: 'create'; readonly item: StoredItem }
  | { readonly kind: 'stage'; readonly item: StoredItem; readonly range: string }
  | { readonly kind: 'replace'; readonly item: StoredItem; readonly expectedVersion: number }
  | { readonly kind: 'delete'; readonly sk: string }
  | { readonly kind: 'retire'; readonly range: string; readonly count: number };

/** The item an operation writes, if it writes one. */
export function writtenItem(operation: ChangeOperation): StoredItem | undefined {
  return operation.kind === 'create' || operation.kind === 'stage' || operation.kind === 'replace'
    ? operation.item
    : undefined;
}

/** What one committed change did, as stored in the change log and replayed by the policy cache. */
export interface ChangeRecord {
  readonly version: number;
  readonly puts: readonly StoredItem[];
  readonly deletes: readonly string[];
  /** Key ranges of the account partition written before the commit and part of it (read them as puts). */
  readonly staged?: readonly string[];
  /**
   * Sort keys of items the transaction put that the entry does not repeat (they would not fit its
   * 400 KB together): caches read them, strongly consistent.
   */
  readonly putKeys?: readonly string[];
  /** Key ranges whose items the change drops (deleted from the table after the commit). */
  readonly retired?: readonly string[];
  /** Items changed outside this record (a bulk load such as `migrate apply`): caches must reload the account. */
  readonly fullReload?: true;
}

/** The account's version moved since it was read: re-read and try again. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
}

/** An item's own condition failed: it already exists, is gone, or was changed by someone else. */
export class ItemConflictError extends Error {
  override readonly name = 'ItemConflictError';
  constructor(
    readonly operation: ChangeOperation,
    options?: ErrorOptions,
  ) {
    super(
      `conflicting ${operation.kind} of ${operation.kind === 'delete' ? operation.sk : operation.kind === 'retire' ? operation.range : operation.item.SK}`,
      options,
    );
  }
}

/** Where an account's items live and how time is read. */
export interface ChangeLogTarget {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now: () => number;
}

/** Creates an account's META item at version 0; false when the account already exists. */
export async function initializeAccount(target: ChangeLogTarget, accountId: string): Promise<boolean> {
  try {
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: {
          PK: accountPk(accountId),
          SK: ACCOUNT_META_SK,
          entity: ENTITY.Account,
          accountId,
          version: 0,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The account's current version (strongly consistent), or `undefined` when the account does not exist. */
export async function readAccountVersion(
  target: ChangeLogTarget,
  accountId: string,
): Promise<number | undefined> {
  const { Item } = await target.client.send(
    new GetCommand({
      TableName: target.tableName,
      Key: { PK: accountPk(accountId), SK: ACCOUNT_META_SK },
      ConsistentRead: true,
    }),
  );
  return typeof Item?.version === 'number' ? Item.version : undefined;
}

/** A change that cannot be written: an item or the change-log entry over 400 KB, or a transaction over DynamoDB's limits. */
export class ChangeTooLargeError extends Error {
  override readonly name = 'ChangeTooLargeError';
}

/** Options of {@link commitChange}. */
export interface CommitOptions {
  readonly fullReload?: boolean;
  /** Items of other partitions written unconditionally in the same transaction (the write's audit record). */
  readonly alsoPut?: readonly StoredItem[];
}

/** The transaction a change is sent as: what goes inside it, what is staged before it. */
interface CommitPlan {
  readonly transacted: readonly ChangeOperation[];
  readonly staged: readonly StoredItem[];
  readonly record: ChangeRecord;
  readonly changeItem: StoredItem;
}

/**
 * Commits operations on an account atomically with the next change-log entry: one transaction that
 * moves the account's version from `expectedVersion` to the next, applies each operation under its
 * own condition, and appends the change record. Nothing is written unless everything is. With
 * `fullReload`, the record tells every policy cache to reload the account in full (items were
 * written outside the change log, e.g. by a bulk migration). `alsoPut` items ride along unconditionally,
 * so a write's audit record exists exactly when the write does.
 *
 * Sizes are checked before anything is sent (`item-size.ts`): when the items put would make the change
 * entry exceed 400 KB, the entry names their keys (`putKeys`) instead of repeating them; `stage`
 * operations go inside the transaction when everything fits, and are otherwise written first with idempotent batch puts (they
 * grant nothing until the transaction commits the item that points at them), the change entry naming
 * their key ranges instead of repeating them. An item over 400 KB, a change entry over 400 KB, or a
 * transaction over 100 actions or 4 MB even so throws {@link ChangeTooLargeError} before anything is
 * written. After the commit, the items of `retire` ranges are deleted (best effort: they grant
 * nothing whether or not they are gone).
 */
export async function commitChange(
  target: ChangeLogTarget,
  accountId: string,
  expectedVersion: number,
  operations: readonly ChangeOperation[],
  options: CommitOptions = {},
): Promise<ChangeRecord> {
  const plan = commitPlan(target, accountId, expectedVersion, operations, options);
  const pk = accountPk(accountId);
  if (plan.staged.length > 0) {
    await batchPut(target.client, target.tableName, plan.staged, () => {});
  }
  try {
    await target.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: target.tableName,
              Key: { PK: pk, SK: ACCOUNT_META_SK },
              UpdateExpression: 'SET #version = :next',
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':next': plan.record.version, ':expected': expectedVersion },
            },
          },
          ...plan.transacted.map((operation) => toTransactItem(target.tableName, pk, operation)),
          { Put: { TableName: target.tableName, Item: plan.changeItem } },
          ...(options.alsoPut ?? []).map((item) => ({ Put: { TableName: target.tableName, Item: item } })),
        ],
      }),
    );
  } catch (error) {
    if (plan.staged.length > 0)
      await deleteItems(
        target,
        pk,
        plan.staged.map((item) => item.SK),
      );
    throw classifyCancellation(error, plan.transacted);
  }
  for (const range of plan.record.retired ?? []) await deleteRange(target, accountId, range);
  return plan.record;
}

/** How a change is sent, checked against DynamoDB's limits; throws {@link ChangeTooLargeError} when it cannot be. */
function commitPlan(
  target: ChangeLogTarget,
  accountId: string,
  expectedVersion: number,
  operations: readonly ChangeOperation[],
  options: CommitOptions,
): CommitPlan {
  const version = expectedVersion + 1;
  const retired = [...new Set(operations.flatMap((op) => (op.kind === 'retire' ? [op.range] : [])))];
  const inline = operations.filter((op) => op.kind !== 'retire');
  const direct = inline.filter((op) => op.kind !== 'stage');
  const build = (transacted: readonly ChangeOperation[], staged: readonly string[], byKey: boolean) => {
    const puts = transacted.flatMap((op) => (op.kind === 'delete' || op.kind === 'retire' ? [] : [op.item]));
    const record: ChangeRecord = {
      version,
      puts: byKey ? [] : puts,
      ...(byKey && puts.length > 0 ? { putKeys: puts.map((item) => item.SK) } : {}),
      deletes: transacted.flatMap((op) => (op.kind === 'delete' ? [op.sk] : [])),
      ...(staged.length > 0 ? { staged } : {}),
      ...(retired.length > 0 ? { retired } : {}),
      ...(options.fullReload ? { fullReload: true as const } : {}),
    };
    const changeItem: StoredItem = {
      PK: changeLogPk(accountId),
      SK: changeSk(version),
      entity: ENTITY.Change,
      ...record,
      changedAt: target.now(),
      expiresAt: Math.floor(target.now() / 1000) + CHANGE_RETENTION_SECONDS,
    };
    return { record, changeItem };
  };
  for (const byKey of [false, true]) {
    const whole = build(inline, [], byKey);
    if (fits(inline, whole.changeItem, options)) return { transacted: inline, staged: [], ...whole };
  }
  const stagedItems = inline.flatMap((op) => (op.kind === 'stage' ? [op.item] : []));
  const ranges = [...new Set(inline.flatMap((op) => (op.kind === 'stage' ? [op.range] : [])))];
  let split = build(direct, ranges, false);
  for (const byKey of [false, true]) {
    split = build(direct, ranges, byKey);
    if (stagedItems.length > 0 && fits(direct, split.changeItem, options)) {
      for (const item of stagedItems) requireItemFits(item);
      return { transacted: direct, staged: stagedItems, ...split };
    }
  }
  for (const op of inline) if (op.kind !== 'delete') requireItemFits(op.item);
  throw new ChangeTooLargeError(
    `the change is too large for one DynamoDB transaction: ${direct.length} operations, change entry of ${itemSize(split.changeItem)} bytes (at most ${MAX_TRANSACTION_ACTIONS - 2} operations, ${MAX_ITEM_BYTES} bytes an item, ${MAX_TRANSACTION_BYTES} bytes in all)`,
  );
}

function requireItemFits(item: StoredItem): void {
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new ChangeTooLargeError(
      `item ${item.SK} would be ${size} bytes; DynamoDB stores at most ${MAX_ITEM_BYTES}`,
    );
  }
}

/** Whether `operations` with the META update, `changeItem` and the `alsoPut` items fit one transaction. */
function fits(
  operations: readonly ChangeOperation[],
  changeItem: StoredItem,
  options: CommitOptions,
): boolean {
  const alsoPut = options.alsoPut ?? [];
  if (operations.length + 2 + alsoPut.length > MAX_TRANSACTION_ACTIONS) return false;
  const changeBytes = itemSize(changeItem);
  if (changeBytes > MAX_ITEM_BYTES) return false;
  let total = changeBytes + 100;
  for (const op of operations) {
    if (op.kind === 'delete' || op.kind === 'retire') {
      total += 100;
      continue;
    }
    const size = itemSize(op.item);
    if (size > MAX_ITEM_BYTES) return false;
    total += size;
  }
  for (const item of alsoPut) {
    const size = itemSize(item);
    if (size > MAX_ITEM_BYTES) return false;
    total += size;
  }
  return total <= MAX_TRANSACTION_BYTES;
}

/** Deletes items of the account partition by sort key (best effort: a failure leaves items nothing points at). */
async function deleteItems(target: ChangeLogTarget, pk: string, sks: readonly string[]): Promise<void> {
  try {
    await batchWrite(
      target.client,
      target.tableName,
      sks.map((SK) => ({ DeleteRequest: { Key: { PK: pk, SK } } })),
      () => {},
    );
  } catch {
    // Items no committed item points at grant nothing; a later full load reads them as inert.
  }
}

/** Deletes every item of the key range `prefix` of the account partition (best effort, as {@link deleteItems}). */
async function deleteRange(target: ChangeLogTarget, accountId: string, prefix: string): Promise<void> {
  const pk = accountPk(accountId);
  try {
    for await (const sks of rangeKeys(target, pk, prefix)) await deleteItems(target, pk, sks);
  } catch {
    // As in deleteItems: retired items grant nothing.
  }
}

async function* rangeKeys(target: ChangeLogTarget, pk: string, prefix: string): AsyncGenerator<string[]> {
  const pages = paginateQuery(
    { client: target.client },
    {
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ProjectionExpression: 'SK',
    },
  );
  for await (const page of pages) yield (page.Items ?? []).map((item) => String(item.SK));
}

/** One item of an account's partition (strongly consistent), or `undefined` when it is gone. */
export async function readItem(
  target: Pick<ChangeLogTarget, 'client' | 'tableName'>,
  accountId: string,
  sk: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await target.client.send(
    new GetCommand({
      TableName: target.tableName,
      Key: { PK: accountPk(accountId), SK: sk },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/**
 * Every item of the key range `prefix` of an account's partition (strongly consistent, paged): what a
 * change entry's `staged` range holds, read by caches applying that change.
 */
export async function readRange(
  target: Pick<ChangeLogTarget, 'client' | 'tableName'>,
  accountId: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: target.client },
    {
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': prefix },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

function toTransactItem(tableName: string, pk: string, operation: ChangeOperation) {
  switch (operation.kind) {
    case 'create':
    case 'stage':
      return {
        Put: { TableName: tableName, Item: operation.item, ConditionExpression: 'attribute_not_exists(PK)' },
      };
    case 'replace':
      return {
        Put: {
          TableName: tableName,
          Item: operation.item,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': operation.expectedVersion },
        },
      };
    case 'delete':
      return {
        Delete: {
          TableName: tableName,
          Key: { PK: pk, SK: operation.sk },
          ConditionExpression: 'attribute_exists(PK)',
        },
      };
    case 'retire':
      throw new Error('a retire operation is never sent in a transaction');
  }
}
function classifyCancellation(error: unknown, operations: readonly ChangeOperation[]): unknown {
  if (!(error instanceof TransactionCanceledException)) return error;
  const reasons = error.CancellationReasons ?? [];
  if (reasons[0]?.Code === 'ConditionalCheckFailed') {
    return new VersionConflictError('the account changed since it was read', { cause: error });
  }
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
    return new VersionConflictError('another transaction on the account was in progress', { cause: error });
  }
  const failed = reasons.findIndex((reason, index) => index > 0 && reason.Code === 'ConditionalCheckFailed');
  const operation = operations[failed - 1];
  return operation ? new ItemConflictError(operation, { cause: error }) : error;
}
