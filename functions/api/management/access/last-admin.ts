import { type GroupMemberCount, isEffectiveAccountAdmin } from '../../../core/account-admin.js';
import { findManagedResourceGroup } from '../../../core/managed-resource-groups.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import { sameScope } from '../../../core/scope.js';

/** The managed admin roles whose assignments are protected (reference §8.4). */
export const PROTECTED_ADMIN_ROLES: readonly string[] = [
  '_account_admin',
  '_organization_admin',
  '_project_admin',
];

/** The 409 message of reference §8.4 for `action` (`deleting` or `disabling`). */
export function lastAdminMessage(action: 'deleting' | 'disabling'): string {
  return `There is no account admin present in this account. Please add an Account Admin assigned to [All Resources Including Child Scopes] Resource Group at the account level before ${action} this role assignment.`;
}

/** Whether removing (deleting or disabling) this assignment needs the last-admin check. */
export function isProtectedAdminAssignment(assignment: RoleAssignment): boolean {
  return (
    PROTECTED_ADMIN_ROLES.includes(assignment.roleIdentifier) &&
    findManagedResourceGroup(assignment.resourceGroupIdentifier) !== undefined
  );
}

/**
 * Whether the account keeps an effective account admin (see {@link isEffectiveAccountAdmin}) once
 * `removed` is deleted or disabled.
 *
 * @param accountAssignments - The assignments made at the account scope.
 * @param accountGroupMembers - Member counts of the account's user groups.
 */
export function keepsAccountAdmin(
  removed: RoleAssignment,
  accountAssignments: readonly RoleAssignment[],
  accountGroupMembers: GroupMemberCount,
): boolean {
  return accountAssignments.some(
    (candidate) =>
      !(candidate.identifier === removed.identifier && sameScope(candidate.scope, removed.scope)) &&
      isEffectiveAccountAdmin(candidate, accountGroupMembers),
  );
}
