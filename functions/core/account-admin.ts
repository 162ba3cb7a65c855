import { ALL_RESOURCES_INCLUDING_CHILD_SCOPES } from './managed-resource-groups.js';
import type { RoleAssignment } from './role-assignment.js';
import type { Scope } from './scope.js';

/** How many members the user group `identifier` of `scope` has (0 when there is no such group). */
export type GroupMemberCount = (scope: Scope, identifier: string) => number;

/**
 * Whether `assignment` makes someone an effective account admin (reference §8.4): it is enabled, made
 * at the account scope, of `_account_admin` on `_all_resources_including_child_scopes`, and its
 * principal is a user, a service account, or an account-level user group with at least one member.
 * The last such assignment of an account may not be deleted, disabled or emptied.
 */
export function isEffectiveAccountAdmin(assignment: RoleAssignment, groupMembers: GroupMemberCount): boolean {
  if (assignment.disabled || assignment.scope.level !== 'account') return false;
  if (assignment.roleIdentifier !== '_account_admin') return false;
  if (assignment.resourceGroupIdentifier !== ALL_RESOURCES_INCLUDING_CHILD_SCOPES) return false;
  const { principal } = assignment;
  if (principal.type !== 'USER_GROUP') return true;
  if ((principal.scopeLevel ?? 'account') !== 'account') return false;
  return groupMembers(assignment.scope, principal.identifier) > 0;
}
