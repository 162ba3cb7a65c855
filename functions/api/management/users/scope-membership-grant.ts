import type { RoleAssignment } from '../../../core/role-assignment.js';
import { type Scope, selfAndAncestors } from '../../../core/scope.js';
import { validateRoleAssignment } from '../../../core/validation/role-assignment-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import type { RoleBinding } from '../../../store/entities/invites.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
  uniquenessHolder,
} from '../../../store/entities/role-assignments.js';
import {
  findUserGroupItem,
  userGroupHeadFromItem,
  userGroupItemHasMember,
} from '../../../store/entities/user-groups.js';
import { hasMembership, membershipItem } from '../../../store/entities/users.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { userGroupAddMember } from '../../../store/user-group-writes.js';
import { assignmentLookups, newRoleAssignmentIdentifier } from '../access/role-assignment-plan.js';
import { newMeta } from '../principals/principal-request.js';

/**
 * What making a user a member of a scope writes (reference §6.8, §8.4), shared by adding an active
 * user and by accepting an invite: a membership item at the scope and at each ancestor that lacks one
 * (so removing the user from a project later leaves them in its organization and account), the user
 * in each listed group of the scope, and a USER role assignment for each binding. Groups that no
 * longer exist and bindings that no longer resolve or already exist are skipped: authorization and
 * validation happened when the invite was sent.
 */

/** The bindings as USER role assignments of `userId` at `scope`, validated against `policy` (the user counts as a member). */
export function bindingAssignments(
  policy: AccountPolicy,
  scope: Scope,
  userId: string,
  bindings: readonly RoleBinding[],
): RoleAssignment[] {
  const lookups = { ...assignmentLookups(policy), isScopeMember: () => true };
  const assignments: RoleAssignment[] = [];
  for (const binding of bindings) {
    const validation = validateRoleAssignment(
      {
        identifier: newRoleAssignmentIdentifier(),
        roleIdentifier: binding.roleIdentifier,
        resourceGroupIdentifier: binding.resourceGroupIdentifier,
        principal: { type: 'USER', identifier: userId },
      },
      scope,
      lookups,
    );
    if (validation.ok) assignments.push(validation.value);
  }
  return assignments;
}

/** The operations that make `userId` a member of `scope` with `userGroups` and `roleBindings` (see the module comment). */
export function membershipGrantOperations(
  policy: AccountPolicy,
  userId: string,
  scope: Scope,
  userGroups: readonly string[],
  roleBindings: readonly RoleBinding[],
  now: number,
): ChangeOperation[] {
  const { accountId, items } = policy;
  const operations: ChangeOperation[] = [];
  for (const at of selfAndAncestors(scope)) {
    if (!hasMembership(items, userId, at)) {
      operations.push({ kind: 'create', item: membershipItem(accountId, userId, at, newMeta(now)) });
    }
  }
  for (const identifier of new Set(userGroups)) {
    const item = findUserGroupItem(items, scope, identifier);
    if (!item) continue;
    if (userGroupItemHasMember(policy, item, userId)) continue;
    const head = userGroupHeadFromItem(accountId, item);
    operations.push(...userGroupAddMember(accountId, head, userId, false));
  }
  const taken = new Set<string>();
  for (const assignment of bindingAssignments(policy, scope, userId, roleBindings)) {
    const key = `${assignment.roleIdentifier}#${assignment.resourceGroupIdentifier}`;
    if (taken.has(key) || uniquenessHolder(items, assignment) !== undefined) continue;
    taken.add(key);
    operations.push(
      { kind: 'create', item: roleAssignmentItem(accountId, assignment, newMeta(now)) },
      { kind: 'create', item: roleAssignmentKeyItem(accountId, assignment) },
    );
  }
  return operations;
}
