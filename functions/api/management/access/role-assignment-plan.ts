import { randomInt } from 'node:crypto';
import type { AccessCheck } from '../../../core/access-check.js';
import { ALL_ORGANIZATION_LEVEL_RESOURCES } from '../../../core/managed-resource-groups.js';
import { groupKey } from '../../../core/policy-index.js';
import { ALL_USERS_GROUP_IDENTIFIERS, type AssignablePrincipalType } from '../../../core/principal.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import {
  accountScope,
  ancestorAtLevel,
  parentScope,
  type Scope,
  sameScope,
  scopePath,
} from '../../../core/scope.js';
import type { FieldError } from '../../../core/validation/field-error.js';
import {
  type RoleAssignmentInput,
  type RoleAssignmentLookups,
  validateRoleAssignment,
} from '../../../core/validation/role-assignment-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import type { AccountItemMap } from '../../../store/entities/entity-items.js';
import {
  roleAssignmentDeletions,
  roleAssignmentItem,
  roleAssignmentKey,
  roleAssignmentKeyItem,
  roleAssignmentUniquenessKey,
  uniquenessHolder,
} from '../../../store/entities/role-assignments.js';
import type { ItemMeta } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  customResourceGroupAt,
  customRoleAt,
  isScopeMember,
  roleAssignmentsAt,
  roleAssignmentsUsingAt,
  scopeExists,
  serviceAccountScopeOf,
  userGroupAt,
} from '../../../store/readers/access-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { AccessDeniedError, ConflictError, InvalidRequestError } from '../../http/errors.js';
import { actingAs, addsOnlyHeldAccess } from '../escalation-guard.js';
import { requirePermission } from '../require-permission.js';
import { isProtectedAdminAssignment, keepsAccountAdmin, lastAdminMessage } from './last-admin.js';

/**
 * Pure planning of role-assignment writes against one policy state: validation lookups over the
 * policy's items, the caller's authorization (reference §5.5; the anti-escalation rule runs in
 * `writeAccount`), the
 * uniqueness guards, the organization-viewer companion of an account group bound at a project, and
 * the last-account-admin protection. Every function throws an `ApiError` (4xx) to refuse.
 */

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh assignment identifier: `role_assignment_` + 20 random alphanumerics (reference §5.5). */
export function newRoleAssignmentIdentifier(): string {
  let suffix = '';
  for (let index = 0; index < 20; index++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `role_assignment_${suffix}`;
}

/**
 * Sort keys planned earlier in the same write (bulk creation), so that later items see them as taken.
 */
export interface PlannedKeys {
  readonly assignments: Set<string>;
  readonly uniqueness: Set<string>;
}

/** An empty {@link PlannedKeys}. */
export function noPlannedKeys(): PlannedKeys {
  return { assignments: new Set(), uniqueness: new Set() };
}

/**
 * The validation look-ups over a policy's items. Identifier and content uniqueness are left to
 * {@link planAssignmentCreate}, which answers them with 409 rather than 400.
 */
export function assignmentLookups(policy: AccountPolicy): RoleAssignmentLookups {
  const { items } = policy;
  return {
    scopeExists: (scope) => scope.accountIdentifier === policy.accountId && scopeExists(items, scope),
    customRole: (scope, identifier) => customRoleAt(items, scope, identifier)?.value,
    customResourceGroup: (scope, identifier) => customResourceGroupAt(items, scope, identifier)?.value,
    isScopeMember: (userId, scope) => isScopeMember(items, userId, scope),
    userGroupExists: (scope, identifier) => userGroupAt(items, scope, identifier) !== undefined,
    serviceAccountScope: (accountId, identifier) => serviceAccountScopeOf(items, accountId, identifier),
    assignmentExists: () => false,
    duplicateOf: () => undefined,
    identifierFactory: newRoleAssignmentIdentifier,
  };
}

/** Where the assignment's user group or service account lives (the assignment's scope when absent). */
function principalHome(assignment: RoleAssignment): Scope {
  return (
    ancestorAtLevel(assignment.scope, assignment.principal.scopeLevel ?? assignment.scope.level) ??
    assignment.scope
  );
}

const MANAGE_PERMISSION: Readonly<
  Record<AssignablePrincipalType, { permission: string; resourceType: string }>
> = {
  USER: { permission: 'core_user_manage', resourceType: 'USER' },
  USER_GROUP: { permission: 'core_usergroup_manage', resourceType: 'USERGROUP' },
  SERVICE_ACCOUNT: { permission: 'core_serviceaccount_edit', resourceType: 'SERVICEACCOUNT' },
};

const VIEW_PERMISSION: Readonly<
  Record<AssignablePrincipalType, { permission: string; resourceType: string }>
> = {
  USER: { permission: 'core_user_view', resourceType: 'USER' },
  USER_GROUP: { permission: 'core_usergroup_view', resourceType: 'USERGROUP' },
  SERVICE_ACCOUNT: { permission: 'core_serviceaccount_view', resourceType: 'SERVICEACCOUNT' },
};

/**
 * The check that authorizes changing an assignment of its principal (reference §5.5): USER →
 * `core_user_manage` on `USER/<id>`; USER_GROUP → `core_usergroup_manage` on `USERGROUP/<id>`;
 * SERVICE_ACCOUNT → `core_serviceaccount_edit` on `SERVICEACCOUNT/<id>`, all at the assignment's
 * scope; type-level when the group or service account lives at a higher scope than the assignment.
 */
export function principalManageCheck(assignment: RoleAssignment): AccessCheck {
  const { principal, scope } = assignment;
  const { permission, resourceType } = MANAGE_PERMISSION[principal.type];
  const named = principal.type === 'USER' || sameScope(principalHome(assignment), scope);
  return {
    permission,
    resourceType,
    resourceScope: scope,
    ...(named ? { resourceIdentifier: principal.identifier } : {}),
  };
}

/** The type-level check that lets a caller see the assignments of a principal type at a scope (§5.5). */
export function principalViewCheck(type: AssignablePrincipalType, scope: Scope): AccessCheck {
  return { ...VIEW_PERMISSION[type], resourceScope: scope };
}

/** The principal types whose assignments the caller may view at `scope`; 403 when none. */
export function viewablePrincipalTypes(
  auth: AuthenticatedRequest,
  scope: Scope,
): Set<AssignablePrincipalType> {
  const types = (Object.keys(VIEW_PERMISSION) as AssignablePrincipalType[]).filter(
    (type) => auth.policy.evaluator.check(auth.caller, principalViewCheck(type, scope)).permitted,
  );
  if (types.length === 0) {
    throw new AccessDeniedError('Current principal is not authorized to the view the role assignments');
  }
  return new Set(types);
}

/** The items of a new assignment: the assignment and its uniqueness guard, both as creates. */
function createOperations(accountId: string, assignment: RoleAssignment, meta: ItemMeta): ChangeOperation[] {
  return [
    { kind: 'create', item: roleAssignmentItem(accountId, assignment, meta) },
    { kind: 'create', item: roleAssignmentKeyItem(accountId, assignment) },
  ];
}

/** The deletes that remove an assignment and the uniqueness guard it holds. */
export function removalOperations(items: AccountItemMap, assignment: RoleAssignment): ChangeOperation[] {
  return roleAssignmentDeletions(items, assignment);
}

/**
 * The companion of an account-level user group bound at a project (reference §6.7): the group also
 * gets `_organization_viewer` on `_all_organization_level_resources` at the project's organization,
 * unless such an assignment exists (or is planned) already. It is created on the system's behalf, as
 * Harness does, without a further authorization check.
 */
function organizationViewerFor(assignment: RoleAssignment): RoleAssignment | undefined {
  const { principal, scope } = assignment;
  if (principal.type !== 'USER_GROUP' || principal.scopeLevel !== 'account' || scope.level !== 'project') {
    return undefined;
  }
  const organization = parentScope(scope);
  if (!organization) return undefined;
  return {
    identifier: newRoleAssignmentIdentifier(),
    scope: organization,
    roleIdentifier: '_organization_viewer',
    resourceGroupIdentifier: ALL_ORGANIZATION_LEVEL_RESOURCES,
    principal: { type: 'USER_GROUP', identifier: principal.identifier, scopeLevel: 'account' },
    disabled: false,
    managed: false,
  };
}

/** A planned creation: the stored assignment and the operations that write it (and its companion). */
export interface PlannedCreate {
  readonly assignment: RoleAssignment;
  readonly operations: readonly ChangeOperation[];
}

/**
 * Plans the creation of one assignment at `scope` by the caller, against `auth.policy`:
 * 400 when it fails validation (reference §8.4 steps 1–6); 403 when the caller may not change
 * assignments of that principal (what it grants is held to the anti-escalation rule by
 * `writeAccount`); 409 when the identifier is taken
 * at the scope or an equal assignment exists. `planned` collects the keys taken so far by the same
 * write and is updated.
 */
export function planAssignmentCreate(
  auth: AuthenticatedRequest,
  scope: Scope,
  input: RoleAssignmentInput,
  meta: ItemMeta,
  planned: PlannedKeys,
): PlannedCreate {
  const { policy } = auth;
  const lookups = assignmentLookups(policy);
  const validation = validateRoleAssignment(input, scope, lookups);
  if (!validation.ok) throw invalidAssignment(validation.errors);
  const assignment = validation.value;
  requirePermission(auth, principalManageCheck(assignment));
  const path = scopePath(scope);
  const assignmentSk = roleAssignmentKey(scope, assignment.identifier);
  if (policy.items.has(assignmentSk) || planned.assignments.has(assignmentSk)) {
    throw new ConflictError(
      `A role assignment with identifier ${assignment.identifier} already exists in ${path}`,
    );
  }
  const keySk = roleAssignmentUniquenessKey(assignment);
  const holder = uniquenessHolder(policy.items, assignment);
  if (holder !== undefined || planned.uniqueness.has(keySk)) {
    throw new ConflictError(
      `A role assignment with the same role, resource group and principal already exists in ${path}${holder ? `: ${holder}` : ''}`,
    );
  }
  planned.assignments.add(assignmentSk);
  planned.uniqueness.add(keySk);
  const operations = createOperations(policy.accountId, assignment, meta);
  const companion = organizationViewerFor(assignment);
  if (companion) {
    // The companion is skipped, not refused, when it would give the group's members what the caller does not hold.
    const companionOperations = createOperations(policy.accountId, companion, meta);
    if (!addsOnlyHeldAccess(actingAs(auth), policy, companionOperations)) return { assignment, operations };
    const companionKey = roleAssignmentUniquenessKey(companion);
    if (uniquenessHolder(policy.items, companion) === undefined && !planned.uniqueness.has(companionKey)) {
      planned.uniqueness.add(companionKey);
      planned.assignments.add(roleAssignmentKey(companion.scope, companion.identifier));
      operations.push(...companionOperations);
    }
  }
  return { assignment, operations };
}

function invalidAssignment(errors: readonly FieldError[]): InvalidRequestError {
  const [first] = errors;
  return new InvalidRequestError(
    first ? `Invalid role assignment: ${first.fieldId}: ${first.error}` : 'Invalid role assignment',
    errors,
  );
}

/**
 * Refuses (409) deleting or disabling a managed admin assignment when no other effective account
 * admin would remain (reference §8.4). An assignment that is already disabled grants nothing, so
 * removing it never needs the check.
 */
export function requireAccountAdminRemains(
  policy: AccountPolicy,
  assignment: RoleAssignment,
  action: 'deleting' | 'disabling',
): void {
  if (assignment.disabled || !isProtectedAdminAssignment(assignment)) return;
  const account = accountScope(policy.accountId);
  const accountAssignments = roleAssignmentsAt(policy.items, account).map((entry) => entry.value);
  const members = (_scope: Scope, identifier: string): number =>
    identifier === ALL_USERS_GROUP_IDENTIFIERS.account
      ? policy.evaluator.scopeMembers(account).length
      : policy.evaluator.index.membersOf(groupKey(scopePath(account), identifier)).length;
  if (!keepsAccountAdmin(assignment, accountAssignments, members)) {
    throw new ConflictError(lastAdminMessage(action), 'LAST_ACCOUNT_ADMIN');
  }
}

/** Every assignment at `scope` that uses the role or resource group `identifier` (for cascades). */
export function assignmentsUsing(
  items: AccountItemMap,
  scope: Scope,
  field: 'roleIdentifier' | 'resourceGroupIdentifier',
  identifier: string,
): RoleAssignment[] {
  return roleAssignmentsUsingAt(items, scope, field, identifier).map((entry) => entry.value);
}
