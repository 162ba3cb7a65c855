import { type Scope, type ScopePath, scopePath } from '../../../core/scope.js';
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
 * The admins of every scope, by scope path: one pass over the account's enabled assignments, so a
 * page of aggregates costs one pass whatever its size.
 */
export function adminsByScope(auth: AuthenticatedRequest): Map<ScopePath, Set<string>> {
  const { evaluator } = auth.policy;
  const admins = new Map<ScopePath, Set<string>>();
  for (const assignment of evaluator.index.enabledAssignments()) {
    if (assignment.roleIdentifier !== ADMIN_ROLE[assignment.scope.level]) continue;
    const path = scopePath(assignment.scope);
    const users = admins.get(path) ?? new Set<string>();
    for (const principal of evaluator.principalsReachedBy(assignment)) {
      if (principal.type === 'USER') users.add(principal.identifier);
    }
    admins.set(path, users);
  }
  return admins;
}

/** The admins and collaborators of `scope` the caller may see (sorted by user id). */
export function scopePeople(
  auth: AuthenticatedRequest,
  scope: Scope,
  admins: ReadonlyMap<ScopePath, ReadonlySet<string>>,
): ScopePeople {
  const { evaluator } = auth.policy;
  const mayViewUsers = evaluator.check(auth.caller, {
    permission: 'core_user_view',
    resourceScope: scope,
    resourceType: 'USER',
  }).permitted;
  if (!mayViewUsers) return { admins: [], collaborators: [] };
  const adminIds = [...(admins.get(scopePath(scope)) ?? [])].sort();
  const adminSet = new Set(adminIds);
  return {
    admins: adminIds.map((userId) => userMetadataIn(auth.policy, userId)),
    collaborators: evaluator
      .scopeMembers(scope)
      .filter((userId) => !adminSet.has(userId))
      .map((userId) => userMetadataIn(auth.policy, userId)),
  };
}
