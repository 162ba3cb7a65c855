import type { Scope } from '../../../core/scope.js';
import { roleAssignmentsUsingAt } from '../../../store/readers/access-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { type UserMetadata, userMetadataIn } from '../users/user-metadata.js';

/**
 * The people side of Harness's scope aggregates (`ProjectAggregateDTO`, `OrganizationAggregateDTO`):
 * a scope's admins (the users its managed admin role is assigned to there, directly or through a
 * group) and its collaborators (its other members). Shown only to a caller who may view the scope's
 * users (`core_user_view` there); others get empty lists, never a 403 for the scope itself.
 */

/** The managed admin role of each scope level whose holders are a scope's admins. */
const ADMIN_ROLE = {
  account: '_account_admin',
  organization: '_organization_admin',
  project: '_project_admin',
};

/** A scope's admins and collaborators, as Harness's aggregates list them. */
export interface ScopePeople {
  readonly admins: UserMetadata[];
  readonly collaborators: UserMetadata[];
}

/**
 * The admins of `scope`: the users its managed admin role is assigned to there (enabled), directly
 * or through a group — read from the item index by (scope, role), so a page of aggregates costs what
 * it shows, not the account.
 */
function adminsOf(auth: AuthenticatedRequest, scope: Scope): string[] {
  const { evaluator } = auth.policy;
  const users = new Set<string>();
  for (const { value: assignment } of roleAssignmentsUsingAt(
    auth.policy.items,
    scope,
    'roleIdentifier',
    ADMIN_ROLE[scope.level],
  )) {
    if (assignment.disabled) continue;
    for (const principal of evaluator.principalsReachedBy(assignment)) {
      if (principal.type === 'USER') users.add(principal.identifier);
    }
  }
  return [...users].sort();
}

/** The admins and collaborators of `scope` the caller may see (sorted by user id). */
export function scopePeople(auth: AuthenticatedRequest, scope: Scope): ScopePeople {
  const { evaluator } = auth.policy;
  const mayViewUsers = evaluator.check(auth.caller, {
    permission: 'core_user_view',
    resourceScope: scope,
    resourceType: 'USER',
  }).permitted;
  if (!mayViewUsers) return { admins: [], collaborators: [] };
  const adminIds = adminsOf(auth, scope);
  const adminSet = new Set(adminIds);
  return {
    admins: adminIds.map((userId) => userMetadataIn(auth.policy, userId)),
    collaborators: evaluator
      .scopeMembers(scope)
      .filter((userId) => !adminSet.has(userId))
      .map((userId) => userMetadataIn(auth.policy, userId)),
  };
}
