import {
  ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
  findManagedResourceGroup,
} from '../../../core/managed-resource-groups.js';
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

/** How many members a user group has (0 when it does not exist); all-users groups count scope members. */
export type GroupMemberCount = (identifier: string) => number;

/**
 * Whether the account keeps an effective account admin without `removed`: another enabled
 * assignment, at the account scope, of `_account_admin` on `_all_resources_including_child_scopes`,
 * whose principal is a user or service account, or an account-level user group that exists and has at
 * least one member (reference §8.4).
 *
 * @param accountAssignments - The assignments made at the account scope.
 * @param accountGroupMembers - Member counts of the account's user groups.
 */
export function keepsAccountAdmin(
  removed: RoleAssignment,
  accountAssignments: readonly RoleAssignment[],
  accountGroupMembers: GroupMemberCount,
): boolean {
  return accountAssignments.some((candidate) => {
    if (candidate.identifier === removed.identifier && sameScope(candidate.scope, removed.scope))
      return false;
    if (candidate.disabled || candidate.scope.level !== 'account') return false;
    if (candidate.roleIdentifier !== '_account_admin') return false;
    if (candidate.resourceGroupIdentifier !== ALL_RESOURCES_INCLUDING_CHILD_SCOPES) return false;
    const { principal } = candidate;
    if (principal.type !== 'USER_GROUP') return true;
    const level = principal.scopeLevel ?? 'account';
    if (level !== 'account') return false;
    return accountGroupMembers(principal.identifier) > 0;
  });
}
