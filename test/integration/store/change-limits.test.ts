import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { accountScope } from '../../../functions/core/scope.js';
import {
  type ChangeLogTarget,
  type ChangeOperation,
  ChangeTooLargeError,
  commitChange,
  initializeAccount,
  readAccountVersion,
  VersionConflictError,
} from '../../../functions/store/change-log.js';
import { userGroupItem, userGroupMemberItem } from '../../../functions/store/entities/user-groups.js';
import { itemSize, MAX_ITEM_BYTES } from '../../../functions/store/item-size.js';
import type { StoredItem } from '../../../functions/store/items.js';
import {
  accountPk,
  changeLogPk,
  changeSk,
  ENTITY,
  userGroupMembersPrefix,
} from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { readChangesAfter } from '../../../functions/store/readers/change-feed-reader.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

/**
 * `commitChange` against DynamoDB's limits on DynamoDB Local: 400 KB an item and a change entry, 100
 * actions and 4 MB a transaction. What fits is committed (an item too big to be repeated in the
 * change entry is named by key, members too many for one transaction are staged before it); what
 * cannot fit is refused before anything is written.
 */

const ACCOUNT = 'limits';
const META = { version: 1, createdAt: 0, lastModifiedAt: 0 };

/** An item of no policy entity whose DynamoDB size is exactly `bytes`. */
function itemOfSize(sk: string, bytes: number): StoredItem {
  const base: StoredItem = { PK: accountPk(ACCOUNT), SK: sk, entity: ENTITY.Migration, blob: '' };
  const padding = bytes - itemSize(base);
  const item = { ...base, blob: 'x'.repeat(padding) };
  expect(itemSize(item)).toBe(bytes);
  return item;
}

async function partitionKeys(target: ChangeLogTarget, prefix: string): Promise<string[]> {
  const page = await target.client.send(
    new QueryCommand({
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(ACCOUNT), ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((item) => String(item.SK));
}

async function changeEntry(target: ChangeLogTarget, version: number): Promise<Record<string, unknown>> {
  const page = await target.client.send(
    new QueryCommand({
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND SK = :sk',
      ExpressionAttributeValues: { ':pk': changeLogPk(ACCOUNT), ':sk': changeSk(version) },
      ConsistentRead: true,
    }),
  );
  return page.Items?.[0] ?? {};
}

describe('commitChange at the limits', () => {
  let target: ChangeLogTarget;
  let cache: PolicyCache;

  beforeEach(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => 1_700_000_000_000 };
    await initializeAccount(target, ACCOUNT);
    cache = new PolicyCache({ client: target.client, tableName: target.tableName, now: target.now });
    await cache.current(ACCOUNT);
  });

  it('commits an item just under 400 KB, naming it by key in the change entry; a warm cache reads it', async () => {
    // Prepare
    const item = itemOfSize('BLOB#under', MAX_ITEM_BYTES - 1);
    // Act
    const record = await commitChange(target, ACCOUNT, 0, [{ kind: 'create', item }]);
    // Assess
    expect(record.putKeys).toEqual(['BLOB#under']);
    expect(await changeEntry(target, 1)).toMatchObject({ puts: [], putKeys: ['BLOB#under'] });
    const state = await cache.current(ACCOUNT);
    expect(state?.version).toBe(1);
    expect(state?.items.get('BLOB#under')).toEqual(item);
    const feed = await readChangesAfter(target, ACCOUNT, 0, 10);
    expect(feed.entries[0]?.entities).toEqual([
      { operation: 'UPDATE', entityType: 'BLOB', identifier: 'under', scope: accountScope(ACCOUNT) },
    ]);
  });

  it('refuses an item just over 400 KB before writing anything', async () => {
    // Prepare
    const item = itemOfSize('BLOB#over', MAX_ITEM_BYTES + 1);
    // Act
    const attempt = commitChange(target, ACCOUNT, 0, [{ kind: 'create', item }]);
    // Assess
    await expect(attempt).rejects.toThrow(ChangeTooLargeError);
    await expect(attempt).rejects.toThrow(/BLOB#over would be 409601 bytes/);
    expect(await readAccountVersion(target, ACCOUNT)).toBe(0);
    expect(await partitionKeys(target, 'BLOB#')).toEqual([]);
  });

  it('refuses a transaction over 100 actions that has nothing to stage', async () => {
    // Prepare: 99 creates + META + the change entry = 101 actions.
    const operations: ChangeOperation[] = Array.from({ length: 99 }, (_, index) => ({
      kind: 'create',
      item: itemOfSize(`BLOB#${String(index).padStart(2, '0')}`, 200),
    }));
    // Act / Assess
    await expect(commitChange(target, ACCOUNT, 0, operations)).rejects.toThrow(
      /too large for one DynamoDB transaction/,
    );
    expect(await partitionKeys(target, 'BLOB#')).toEqual([]);
  });

  it('stages 1,000 members before the transaction that switches their group to them; caches read the range', async () => {
    // Prepare
    const scope = accountScope(ACCOUNT);
    const incarnation = 'big1';
    const range = userGroupMembersPrefix(incarnation);
    const members = Array.from({ length: 1_000 }, (_, index) => `u${String(index).padStart(4, '0')}`);
    const operations: ChangeOperation[] = [
      ...members.map(
        (userId): ChangeOperation => ({
          kind: 'stage',
          range,
          item: userGroupMemberItem(ACCOUNT, {
            groupScope: scope,
            groupIdentifier: 'g',
            incarnation,
            userId,
          }),
        }),
      ),
      {
        kind: 'create',
        item: userGroupItem(ACCOUNT, { identifier: 'g', name: 'g', scope, incarnation }, META),
      },
    ];
    // Act
    const record = await commitChange(target, ACCOUNT, 0, operations);
    // Assess
    expect(record.staged).toEqual([range]);
    expect((await changeEntry(target, 1)).puts).toEqual([
      expect.objectContaining({ SK: 'UG#/ACCOUNT/limits#g' }),
    ]);
    const warm = await cache.current(ACCOUNT);
    const cold = await new PolicyCache({
      client: target.client,
      tableName: target.tableName,
      now: target.now,
    }).current(ACCOUNT);
    for (const state of [warm, cold]) {
      expect(state?.evaluator.index.membersOf('/ACCOUNT/limits#g').sort()).toEqual(members);
    }
  });

  it('deletes the staged members again when the transaction fails', async () => {
    // Prepare: a writer that read version 0 while another write moved the account on.
    await commitChange(target, ACCOUNT, 0, [{ kind: 'create', item: itemOfSize('BLOB#other', 100) }]);
    const scope = accountScope(ACCOUNT);
    const range = userGroupMembersPrefix('late');
    const operations: ChangeOperation[] = [
      ...Array.from(
        { length: 200 },
        (_, index): ChangeOperation => ({
          kind: 'stage',
          range,
          item: userGroupMemberItem(ACCOUNT, {
            groupScope: scope,
            groupIdentifier: 'g',
            incarnation: 'late',
            userId: `u${index}`,
          }),
        }),
      ),
      {
        kind: 'create',
        item: userGroupItem(ACCOUNT, { identifier: 'g', name: 'g', scope, incarnation: 'late' }, META),
      },
    ];
    // Act
    const attempt = commitChange(target, ACCOUNT, 0, operations);
    // Assess
    await expect(attempt).rejects.toThrow(VersionConflictError);
    expect(await partitionKeys(target, range)).toEqual([]);
    expect(await partitionKeys(target, 'UG#')).toEqual([]);
  });
});
