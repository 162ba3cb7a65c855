import { isEffectiveAccountAdmin } from '../../../core/account-admin.js';
import { groupKey } from '../../../core/policy-index.js';
import { ALL_USERS_GROUP_IDENTIFIERS } from '../../../core/principal.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import { accountScope, type Scope, scopePath } from '../../../core/scope.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentsUsingAt } from '../../../store/readers/access-readers.js';
import { ConflictError } from '../../http/errors.js';

/** The managed role whose account-scope assignments make account admins. */
const ACCOUNT_ADMIN_ROLE = '_account_admin';

/**
 * Last-account-admin protection (reference §8.4, DESIGN §3.3): a change must not take away the last
 * *effective* assignment of `_account_admin` on `_all_resources_including_child_scopes` at the
 * account scope. Effective = enabled, and its principal is a user, a service account, or a user group
 * that exists and has at least one member (the account's all-users group counts its derived members).
 */

/** The envelope code of the refusal. */
export const LAST_ACCOUNT_ADMIN_CODE = 'LAST_ACCOUNT_ADMIN';

/** The account's state as far as the protection is concerned. */
export interface AdminState {
  /** The assignments that can make an account admin: those of `_account_admin` at the account scope. */
  readonly assignments: readonly RoleAssignment[];
  /** Members of the stored group `identifier` at `scope`; `undefined` when there is no such group. */
  readonly groupMembers: (scope: Scope, identifier: string) => readonly string[] | undefined;
}

/**
 * The state of `policy`: its `_account_admin` assignments at the account scope (from the item index,
 * so O(those), not O(account)), stored groups and the account's derived membership.
 */
export function adminStateOf(policy: AccountPolicy): AdminState {
  const { index } = policy.evaluator;
  const account = accountScope(policy.accountId);
  const allUsers = ALL_USERS_GROUP_IDENTIFIERS.account;
  return {
    assignments: roleAssignmentsUsingAt(policy.items, account, 'roleIdentifier', ACCOUNT_ADMIN_ROLE).map(
      (entry) => entry.value,
    ),
    groupMembers: (scope, identifier) =>
      scope.level === 'account' && identifier === allUsers
        ? policy.evaluator.scopeMembers(account)
        : index.incarnationOf(groupKey(scopePath(scope), identifier)) === undefined
          ? undefined
          : index.membersOf(groupKey(scopePath(scope), identifier)),
  };
}

/** True when some effective account-admin assignment exists in `state` (see {@link isEffectiveAccountAdmin}). */
export function hasEffectiveAccountAdmin(state: AdminState): boolean {
  const memberCount = (scope: Scope, identifier: string) =>
    state.groupMembers(scope, identifier)?.length ?? 0;
  return state.assignments.some((assignment) => isEffectiveAccountAdmin(assignment, memberCount));
}

/**
 * 409 `LAST_ACCOUNT_ADMIN` when `before` has an effective account admin and `after` has none. An
 * account that already lacks one is not blocked from unrelated changes.
 */
export function requireAccountAdminKept(before: AdminState, after: AdminState, what: string): void {
  if (hasEffectiveAccountAdmin(before) && !hasEffectiveAccountAdmin(after)) {
    throw new ConflictError(
      `${what} would leave no account admin in this account. Please add an Account Admin assigned to [All Resources Including Child Scopes] Resource Group at the account level first.`,
      LAST_ACCOUNT_ADMIN_CODE,
    );
  }
}

/** `state` with the members of one group replaced (`undefined` members: the group is gone). */
export function withGroupMembers(
  state: AdminState,
  groupScope: Scope,
  identifier: string,
  members: readonly string[] | undefined,
): AdminState {
  const path = scopePath(groupScope);
  return {
    assignments: state.assignments,
    groupMembers: (scope, id) =>
      scopePath(scope) === path && id === identifier ? members : state.groupMembers(scope, id),
  };
}

/** The identity of an assignment within its account: its scope and identifier. */
function assignmentKey(assignment: RoleAssignment): string {
  return `${scopePath(assignment.scope)}#${assignment.identifier}`;
}

/** `state` without the given assignments (matched by scope and identifier). */
export function withoutAssignments(state: AdminState, removed: readonly RoleAssignment[]): AdminState {
  const gone = new Set(removed.map(assignmentKey));
  return {
    assignments: state.assignments.filter((assignment) => !gone.has(assignmentKey(assignment))),
    groupMembers: state.groupMembers,
  };
}
