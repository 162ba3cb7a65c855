import type { PolicySnapshot } from '../functions/core/policy-snapshot.js';
import type { Scope } from '../functions/core/scope.js';
import { customResourceGroupItem } from '../functions/store/entities/resource-groups.js';
import { roleAssignmentItem, roleAssignmentKeyItem } from '../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../functions/store/entities/roles.js';
import { scopeItem } from '../functions/store/entities/scopes.js';
import { userGroupItems } from '../functions/store/entities/user-groups.js';
import { membershipItem } from '../functions/store/entities/users.js';
import type { StoredItem } from '../functions/store/items.js';

const META = { createdAt: 0, lastModifiedAt: 0, version: 1 };

/** The table items of a benchmark world, as the management API would have written them (one per key). */
export function worldItems(world: PolicySnapshot, scopes: readonly Scope[]): StoredItem[] {
  const account = world.accountIdentifier;
  let groupIndex = 0;
  const items = [
    ...scopes
      .filter((scope) => scope.level !== 'account')
      .map((scope) => scopeItem(account, scope, { name: 'bench scope' }, META)),
    ...world.customRoles.map((role) => customRoleItem(account, role, META)),
    ...world.customResourceGroups.map((group) => customResourceGroupItem(account, group, META)),
    ...world.userGroups.flatMap((group) => userGroupItems(account, group, META, `bench${groupIndex++}`)),
    ...world.scopeMemberships.map(({ userId, scope }) => membershipItem(account, userId, scope, META)),
    ...world.roleAssignments.flatMap((assignment) => [
      roleAssignmentItem(account, assignment, META),
      roleAssignmentKeyItem(account, assignment),
    ]),
  ];
  return [...new Map(items.map((item) => [item.SK, item])).values()];
}
