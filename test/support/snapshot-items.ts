import { Evaluator } from '../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import type { ChangeOperation } from '../../functions/store/change-log.js';
import {
  customResourceGroupItem,
  customRoleItem,
  type ItemMeta,
  membershipItem,
  roleAssignmentItem,
  type StoredItem,
  serviceAccountItem,
  snapshotFromItems,
  userGroupItem,
} from '../../functions/store/items.js';
import type { AccountPolicy } from '../../functions/store/policy-cache.js';

/** The bookkeeping attributes of items encoded for tests. */
export const TEST_ITEM_META: ItemMeta = { version: 1, createdAt: 0, lastModifiedAt: 0 };

/** The stored items of a policy snapshot, by sort key, encoded as the API encodes them. */
export function itemsOfSnapshot(world: PolicySnapshot): Map<string, StoredItem> {
  const account = world.accountIdentifier;
  const items = [
    ...world.customRoles.map((role) => customRoleItem(account, role, TEST_ITEM_META)),
    ...world.customResourceGroups.map((group) => customResourceGroupItem(account, group, TEST_ITEM_META)),
    ...world.roleAssignments.map((assignment) => roleAssignmentItem(account, assignment, TEST_ITEM_META)),
    ...world.userGroups
      .filter((group) => !group.identifier.startsWith('_'))
      .map((group) => userGroupItem(account, group, TEST_ITEM_META)),
    ...world.serviceAccounts.map((serviceAccount) =>
      serviceAccountItem(
        account,
        {
          ...serviceAccount,
          name: serviceAccount.identifier,
          email: `${serviceAccount.identifier}@example.com`,
        },
        TEST_ITEM_META,
      ),
    ),
    ...world.scopeMemberships.map((membership) =>
      membershipItem(account, membership.userId, membership.scope, TEST_ITEM_META),
    ),
  ];
  return new Map(items.map((item) => [item.SK, item]));
}

/** The cached policy state of a snapshot, as the policy cache would hold it after loading its items. */
export function policyOfSnapshot(world: PolicySnapshot): AccountPolicy {
  const items = itemsOfSnapshot(world);
  return {
    accountId: world.accountIdentifier,
    version: 1,
    evaluator: new Evaluator(snapshotFromItems(world.accountIdentifier, [...items.values()])),
    tokens: new Map(),
    items,
  };
}

/** The operations that turn the items of `before` into those of `after` (creates, replaces, deletes). */
export function operationsBetween(before: PolicySnapshot, after: PolicySnapshot): ChangeOperation[] {
  const from = itemsOfSnapshot(before);
  const to = itemsOfSnapshot(after);
  const operations: ChangeOperation[] = [];
  for (const [sk, item] of to) {
    const previous = from.get(sk);
    if (!previous) operations.push({ kind: 'create', item });
    else if (JSON.stringify(previous) !== JSON.stringify(item)) {
      operations.push({ kind: 'replace', item, expectedVersion: TEST_ITEM_META.version });
    }
  }
  for (const sk of from.keys()) if (!to.has(sk)) operations.push({ kind: 'delete', sk });
  return operations;
}
