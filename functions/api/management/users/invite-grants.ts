import { isAllUsersGroupIdentifier } from '../../../core/principal.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import { validateRoleAssignment } from '../../../core/validation/role-assignment-validation.js';
import type { RoleBinding } from '../../../store/entities/invites.js';
import { userGroupAt } from '../../../store/readers/access-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { InvalidRequestError } from '../../http/errors.js';
import { assignmentLookups } from '../access/role-assignment-plan.js';
import { requirePermission } from '../require-permission.js';

/**
 * Validation and authorization of what an added or invited user is given (DESIGN §6.1: nobody may
 * grant more than they hold), checked when the request is made:
 * - each user group must be a stored group at the request's scope (400 naming `userGroups[i]`), and
 *   the caller must hold `core_usergroup_manage` on it (403);
 * - each role binding must resolve at the scope as a USER assignment would (400 naming
 *   `roleBindings[i].<field>`).
 * What the groups and bindings give is then held to the anti-escalation rule (`escalation-guard.ts`).
 */

/** Throws 400/403 unless the caller may give `userGroups` and `roleBindings` at `scope` (see the module comment). */
export function requireGrantable(
  auth: AuthenticatedRequest,
  scope: Scope,
  userGroups: readonly string[],
  roleBindings: readonly RoleBinding[],
): void {
  const { policy } = auth;
  const errors: FieldError[] = [];
  for (const [index, identifier] of userGroups.entries()) {
    if (isAllUsersGroupIdentifier(identifier) || !userGroupAt(policy.items, scope, identifier)) {
      errors.push(
        fieldError(`userGroups[${index}]`, `user group ${identifier} does not exist in ${scopePath(scope)}`),
      );
    }
  }
  const lookups = { ...assignmentLookups(policy), isScopeMember: () => true };
  for (const [index, binding] of roleBindings.entries()) {
    const validation = validateRoleAssignment(
      { ...binding, principal: { type: 'USER', identifier: 'invitee' } },
      scope,
      lookups,
    );
    if (validation.ok) continue;
    for (const error of validation.errors)
      errors.push(fieldError(`roleBindings[${index}].${error.fieldId}`, error.error));
  }
  if (errors.length > 0) throw new InvalidRequestError('Invalid user groups or role bindings', errors);
  for (const identifier of userGroups) {
    requirePermission(auth, {
      permission: 'core_usergroup_manage',
      resourceType: 'USERGROUP',
      resourceIdentifier: identifier,
      resourceScope: scope,
    });
  }
}
