import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredItem } from './items.js';
import { ACCOUNT_META_SK, accountPk, changeLogPk, changeSk, ENTITY } from './keys.js';

/** How long change-log entries are kept before DynamoDB's TTL may remove them (a backstop only). */
export const CHANGE_RETENTION_SECONDS = 7 * 24 * 3600;

/** A write to one item of the account partition, with the condition it requires. */
export type ChangeOperation =
  | { readonly kind: 'create'; readonly item: StoredItem }
  | { readonly kind: 'replace'; readonly item: StoredItem; readonly expectedVersion: number }
  | { readonly kind: 'delete'; readonly sk: string };

/** What one committed change did, as stored in the change log and replayed by the policy cache. */
export interface ChangeRecord {
  readonly version: number;
  readonly puts: readonly StoredItem[];
  readonly deletes: readonly string[];
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
      `conflicting ${operation.kind} of ${operation.kind === 'delete' ? operation.sk : operation.item.SK}`,
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

/**
 * Commits operations on an account atomically with the next change-log entry: one transaction that
 * moves the account's version from `expectedVersion` to the next, applies each operation under its
 * own condition, and appends the change record. Nothing is written unless everything is. With
 * `fullReload`, the record tells every policy cache to reload the account in full (items were
 * written outside the change log, e.g. by a bulk migration). `alsoPut` items ride along unconditionally,
 * so a write's audit record exists exactly when the write does.
 */
export async function commitChange(
  target: ChangeLogTarget,
  accountId: string,
  expectedVersion: number,
  operations: readonly ChangeOperation[],
  options: {
    readonly fullReload?: boolean;
    /** Items of other partitions written unconditionally in the same transaction (the write's audit record). */
    readonly alsoPut?: readonly StoredItem[];
  } = {},
): Promise<ChangeRecord> {
  const version = expectedVersion + 1;
  const record: ChangeRecord = {
    version,
    puts: operations.flatMap((operation) => (operation.kind === 'delete' ? [] : [operation.item])),
    deletes: operations.flatMap((operation) => (operation.kind === 'delete' ? [operation.sk] : [])),
    ...(options.fullReload ? { fullReload: true as const } : {}),
  };
  const pk = accountPk(accountId);
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
              ExpressionAttributeValues: { ':next': version, ':expected': expectedVersion },
            },
          },
          ...operations.map((operation) => toTransactItem(target.tableName, pk, operation)),
          {
            Put: {
              TableName: target.tableName,
              Item: {
                PK: changeLogPk(accountId),
                SK: changeSk(version),
                entity: ENTITY.Change,
                ...record,
                changedAt: target.now(),
                expiresAt: Math.floor(target.now() / 1000) + CHANGE_RETENTION_SECONDS,
              },
            },
          },
          ...(options.alsoPut ?? []).map((item) => ({ Put: { TableName: target.tableName, Item: item } })),
        ],
      }),
    );
  } catch (error) {
    throw classifyCancellation(error, operations);
  }
  return record;
}

function toTransactItem(tableName: string, pk: string, operation: ChangeOperation) {
  switch (operation.kind) {
    case 'create':
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
