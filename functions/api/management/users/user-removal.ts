import { isSelfOrAncestor, type Scope, scopePath } from '../../../core/scope.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { apiKeyFromItem } from '../../../store/entities/credentials.js';
import { inviteItemDeletion } from '../../../store/entities/invites.js';
import { userGroupHeadFromItem, userGroupItemHasMember } from '../../../store/entities/user-groups.js';
import { hasUser, membershipDeletion, userDeletion } from '../../../store/entities/users.js';
import { ENTITY } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { itemsOfEntity, roleAssignmentsOfPrincipal } from '../../../store/readers/principal-readers.js';
import { invitesOfUser, membershipScopesOf } from '../../../store/readers/user-readers.js';
import { userGroupRemoveMember } from '../../../store/user-group-writes.js';
import { removalOperations } from '../access/role-assignment-plan.js';
import { adminStateOf, requireAccountAdminKept } from '../principals/last-account-admin.js';
import { apiKeyDeletes } from '../principals/principal-cascade.js';

/**
 * Planning of `DELETE /ng/api/user/{userId}` (DESIGN §6.2): removing a user from a scope removes,
 * within the scope and its descendants, the user's USER role assignments, its membership of the
 * groups defined there, its personal API keys and tokens made there, its invites there, and its
 * membership items. Removed from the account, the user item goes too. Refused with 409
 * `LAST_ACCOUNT_ADMIN` when it would leave the account without an effective account admin.
 * Operations are ordered dependants first and the user item last, so a plan larger than one
 * transaction can be committed in prefixes and re-planned from what is left.
 */

function inSubtree(root: Scope, scope: Scope): boolean {
  return isSelfOrAncestor(root, scope);
}

/** The operations removing `userId` from `scope`, after the last-account-admin check. */
export function planUserRemoval(policy: AccountPolicy, userId: string, scope: Scope): ChangeOperation[] {
  const { accountId, items } = policy;
  const removedAssignments = roleAssignmentsOfPrincipal(accountId, items, 'USER', userId).filter(
    (assignment) =>
      assignment.principal.type === 'USER' &&
      assignment.principal.identifier === userId &&
      inSubtree(scope, assignment.scope),
  );
  const before = adminStateOf(policy);
  const gone = new Set(removedAssignments);
  requireAccountAdminKept(
    before,
    {
      assignments: before.assignments.filter(
        (assignment) =>
          !removedAssignments.some(
            (removed) =>
              removed.identifier === assignment.identifier &&
              scopePath(removed.scope) === scopePath(assignment.scope),
          ),
      ),
      groupMembers: (at, identifier) => {
        const members = before.groupMembers(at, identifier);
        return members && inSubtree(scope, at) ? members.filter((member) => member !== userId) : members;
      },
    },
    `Removing user ${userId} from ${scopePath(scope)}`,
  );
  const operations: ChangeOperation[] = [];
  for (const assignment of gone) operations.push(...removalOperations(items, assignment));
  for (const item of itemsOfEntity(items, ENTITY.UserGroup)) {
    if (!userGroupItemHasMember(policy, item, userId)) continue;
    const head = userGroupHeadFromItem(accountId, item);
    if (!inSubtree(scope, head.value.scope)) continue;
    operations.push(...userGroupRemoveMember(head, userId, true));
  }
  for (const item of itemsOfEntity(items, ENTITY.ApiKey)) {
    const { value } = apiKeyFromItem(accountId, item);
    if (value.apiKeyType === 'USER' && value.parentIdentifier === userId && inSubtree(scope, value.scope)) {
      operations.push(...apiKeyDeletes(policy, value));
    }
  }
  for (const invite of invitesOfUser(items, accountId, userId)) {
    if (inSubtree(scope, invite.value.scope)) {
      operations.push(inviteItemDeletion(invite.value.inviteId));
    }
  }
  const memberships = membershipScopesOf(items, accountId, userId).filter((at) => inSubtree(scope, at));
  memberships.sort((a, b) => scopePath(b).length - scopePath(a).length);
  for (const at of memberships) operations.push(membershipDeletion(userId, at));
  if (scope.level === 'account' && hasUser(items, userId)) operations.push(userDeletion(userId));
  return operations;
}
