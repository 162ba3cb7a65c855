import type { PolicyEntity } from '../../core/policy-index.js';
import type { PolicySnapshot, ScopeMembership } from '../../core/policy-snapshot.js';
import type { ServiceAccount, UserGroupHead } from '../../core/principal.js';
import type { CustomResourceGroup } from '../../core/resource-group.js';
import type { CustomRole } from '../../core/role.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { ENTITY } from '../keys.js';
import { customResourceGroupFromItem } from './resource-groups.js';
import { roleAssignmentFromItem } from './role-assignments.js';
import { customRoleFromItem } from './roles.js';
import { serviceAccountPolicyFromItem } from './service-accounts.js';
import { userGroupMemberFromItem, userGroupPolicyHeadFromItem } from './user-groups.js';
import { membershipFromItem } from './users.js';

/**
 * The policy entity an item of the account partition holds — a custom role or resource group, a
 * role assignment, a user group, a service account or a scope membership — or `undefined` for items
 * that carry no policy (the account item, scopes, assignment guards, users, invites, API keys, tokens,
 * unknown entities). The entity has exactly its domain shape (no keys, `entity` or bookkeeping),
 * decoded by its entity's codec.
 *
 * Throws `MalformedItemError` when the item is malformed or lies in another account.
 */
export function policyEntityOfItem(
  accountId: string,
  item: Record<string, unknown>,
): PolicyEntity | undefined {
  switch (item.entity) {
    case ENTITY.Role:
      return { kind: 'customRole', value: customRoleFromItem(accountId, item) };
    case ENTITY.ResourceGroup:
      return { kind: 'customResourceGroup', value: customResourceGroupFromItem(accountId, item) };
    case ENTITY.RoleAssignment:
      return { kind: 'roleAssignment', value: roleAssignmentFromItem(accountId, item) };
    case ENTITY.UserGroup:
      return { kind: 'userGroup', value: userGroupPolicyHeadFromItem(accountId, item) };
    case ENTITY.UserGroupMember:
      return { kind: 'userGroupMember', value: userGroupMemberFromItem(accountId, item) };
    case ENTITY.ServiceAccount:
      return { kind: 'serviceAccount', value: serviceAccountPolicyFromItem(accountId, item) };
    case ENTITY.Membership:
      return { kind: 'scopeMembership', value: membershipFromItem(accountId, item) };
    default:
      return undefined;
  }
}

/**
 * Builds the policy snapshot of an account from the items of its partition (in any order; the
 * snapshot keeps the order given), with {@link policyEntityOfItem}. The returned objects have exactly
 * the domain shapes: no keys, `entity`, `version` or timestamps.
 *
 * Throws when an item of a read entity is malformed or lies in another account.
 */
export function snapshotFromItems(
  accountId: string,
  items: readonly Record<string, unknown>[],
): PolicySnapshot {
  const customRoles: CustomRole[] = [];
  const customResourceGroups: CustomResourceGroup[] = [];
  const roleAssignments: RoleAssignment[] = [];
  const userGroups: UserGroupHead[] = [];
  const members = new Map<string, string[]>();
  const serviceAccounts: ServiceAccount[] = [];
  const scopeMemberships: ScopeMembership[] = [];
  for (const item of items) {
    const entity = policyEntityOfItem(accountId, item);
    if (entity?.kind === 'customRole') customRoles.push(entity.value);
    else if (entity?.kind === 'customResourceGroup') customResourceGroups.push(entity.value);
    else if (entity?.kind === 'roleAssignment') roleAssignments.push(entity.value);
    else if (entity?.kind === 'userGroup') userGroups.push(entity.value);
    else if (entity?.kind === 'userGroupMember') {
      const list = members.get(entity.value.incarnation) ?? [];
      list.push(entity.value.userId);
      members.set(entity.value.incarnation, list);
    } else if (entity?.kind === 'serviceAccount') serviceAccounts.push(entity.value);
    else if (entity?.kind === 'scopeMembership') scopeMemberships.push(entity.value);
  }
  return {
    accountIdentifier: accountId,
    customRoles,
    customResourceGroups,
    roleAssignments,
    userGroups: userGroups.map(({ incarnation, ...group }) => ({
      ...group,
      users: members.get(incarnation) ?? [],
    })),
    serviceAccounts,
    scopeMemberships,
  };
}
