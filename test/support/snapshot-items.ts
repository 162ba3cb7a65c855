import { createHash } from 'node:crypto';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import type { UserGroup } from '../../functions/core/principal.js';
import { scopePath } from '../../functions/core/scope.js';
import type { ChangeOperation } from '../../functions/store/change-log.js';
import { customResourceGroupItem } from '../../functions/store/entities/resource-groups.js';
import { roleAssignmentItem } from '../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../functions/store/entities/roles.js';
import { serviceAccountItem } from '../../functions/store/entities/service-accounts.js';
import { userGroupItems } from '../../functions/store/entities/user-groups.js';
import { membershipItem } from '../../functions/store/entities/users.js';
import type { ItemMeta, StoredItem } from '../../functions/store/items.js';
import type { AccountPolicy } from '../../functions/store/policy-cache.js';
import { stateFromItems } from '../../functions/store/policy-state.js';

/** The incarnation tests store a group's members under: derived from the group's scope and identifier only. */
export function testIncarnation(group: Pick<UserGroup, 'scope' | 'identifier'>): string {
  const digest = createHash('sha256')
    .update(`${scopePath(group.scope)}\n${group.identifier}`)
    .digest('hex');
  return `t${digest.slice(0, 12)}`;
}

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
      .flatMap((group) => userGroupItems(account, group, TEST_ITEM_META, testIncarnation(group))),
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
  return stateFromItems(world.accountIdentifier, 1, itemsOfSnapshot(world).values());
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
