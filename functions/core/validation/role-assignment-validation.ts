import { DEPRECATED_ALL_RESOURCES } from '../managed-resource-groups.js';
import {
  ALL_USERS_GROUP_IDENTIFIERS,
  ASSIGNABLE_PRINCIPAL_TYPES,
  type AssignablePrincipalType,
  type AssignmentPrincipal,
  isAllUsersGroupIdentifier,
} from '../principal.js';
import type { CustomResourceGroup } from '../resource-group.js';
import type { CustomRole } from '../role.js';
import type { RoleAssignment } from '../role-assignment.js';
import {
  ancestorAtLevel,
  isSelfOrAncestor,
  levelRank,
  SCOPE_LEVELS,
  type Scope,
  type ScopeLevel,
  scopePath,
} from '../scope.js';
import { resolveResourceGroupAt, resolveRoleAt } from '../scoped-resolution.js';
import { type FieldError, fieldError, invalid, type Validation, valid } from './field-error.js';
import { BLANK_ERROR, isBlank, validateEntityIdentifier } from './identifier-rules.js';

/** The principal of a role assignment as sent by a client (Harness `PrincipalDTO`). */
export interface PrincipalInput {
  readonly type: string;
  readonly identifier: string;
  readonly scopeLevel?: string | null;
}

/** A role assignment as sent by a client (Harness `RoleAssignmentDTO`); `managed` is ignored. */
export interface RoleAssignmentInput {
  readonly identifier?: string | null;
  readonly roleIdentifier: string;
  readonly resourceGroupIdentifier: string;
  readonly principal: PrincipalInput;
  readonly disabled?: boolean | null;
  readonly managed?: boolean | null;
}

/**
 * Synchronous look-ups over data the store has already loaded, so that validation stays pure.
 */
export interface RoleAssignmentLookups {
  /** Whether the scope (account, organization or project) exists. */
  scopeExists(scope: Scope): boolean;
  /** The custom role defined at exactly `scope`. */
  customRole(scope: Scope, identifier: string): CustomRole | undefined;
  /** The custom resource group defined at exactly `scope`. */
  customResourceGroup(scope: Scope, identifier: string): CustomResourceGroup | undefined;
  /** Whether the user (by user id) is a member of `scope`. */
  isScopeMember(userId: string, scope: Scope): boolean;
  /** Whether a stored user group `identifier` exists at exactly `scope` (all-users groups are not asked). */
  userGroupExists(scope: Scope, identifier: string): boolean;
  /** The scope the service account lives at; identifiers are unique within an account. */
  serviceAccountScope(accountIdentifier: string, identifier: string): Scope | undefined;
  /** Whether an assignment with this identifier already exists at exactly `scope`. */
  assignmentExists(scope: Scope, identifier: string): boolean;
  /**
   * The identifier of an existing assignment equal to `candidate` in scope, role, resource group,
   * principal type, principal identifier and principal scope level; `undefined` when there is none.
   */
  duplicateOf(candidate: RoleAssignment): string | undefined;
  /** A fresh identifier for an assignment created without one (`role_assignment_` + 20 alphanumerics). */
  identifierFactory(): string;
}

/**
 * Field id of an assignment equal to an existing one. Bulk creation skips such items instead of failing,
 * so callers can recognise the error by this field id.
 */
export const DUPLICATE_ROLE_ASSIGNMENT_FIELD = 'roleAssignment';

/** Error texts of reference §6.7 and §8.4 (the parameterised ones are built by the functions below). */
export const ROLE_ASSIGNMENT_ERRORS = {
  deprecatedAllResources: `${DEPRECATED_ALL_RESOURCES} is deprecated, please use _all_resources_including_child_scopes.`,
  principalType: `Incorrect Principal Type. Please select one out of ${ASSIGNABLE_PRINCIPAL_TYPES.join(', ')}`,
  identifierMismatch: 'Role assignment identifier in the request body and the url do not match.',
  changeResourceGroup: 'Cannot change resource group in the role assignment',
  changePrincipal: 'Cannot change principal in the role assignment',
  changePrincipalType: 'Cannot change principal type in the role assignment',
  changePrincipalScope: 'Cannot change principal scope in the role assignment',
  changeRole: 'Cannot change role in the role assignment',
} as const;

/** "Principal scope level cannot be X for Y scoped role assignment." */
export function principalScopeLevelError(principalLevel: string, assignmentLevel: ScopeLevel): string {
  return `Principal scope level cannot be ${principalLevel} for ${assignmentLevel} scoped role assignment.`;
}

/** The id of the deepest scope parameter, where a missing scope is reported. */
function scopeFieldId(scope: Scope): string {
  switch (scope.level) {
    case 'account':
      return 'accountIdentifier';
    case 'organization':
      return 'orgIdentifier';
    case 'project':
      return 'projectIdentifier';
  }
}

function isScopeLevel(value: string): value is ScopeLevel {
  return (SCOPE_LEVELS as readonly string[]).includes(value);
}

function isAssignablePrincipalType(value: string): value is AssignablePrincipalType {
  return (ASSIGNABLE_PRINCIPAL_TYPES as readonly string[]).includes(value);
}

/** Steps 2 and 4: the principal's type and level, and that it exists; returns the normalised principal. */
function checkPrincipal(
  input: PrincipalInput,
  scope: Scope,
  lookups: RoleAssignmentLookups,
  errors: FieldError[],
): AssignmentPrincipal | undefined {
  const { type, identifier } = input;
  const before = errors.length;
  if (!isAssignablePrincipalType(type)) {
    errors.push(fieldError('principal.type', ROLE_ASSIGNMENT_ERRORS.principalType));
  }
  if (isBlank(identifier)) errors.push(fieldError('principal.identifier', BLANK_ERROR));
  const requested =
    type === 'USER' || isBlank(input.scopeLevel) ? undefined : (input.scopeLevel ?? undefined);
  if (
    requested !== undefined &&
    (!isScopeLevel(requested) || levelRank(requested) > levelRank(scope.level))
  ) {
    errors.push(fieldError('principal.scopeLevel', principalScopeLevelError(requested, scope.level)));
  }
  if (errors.length > before || !isAssignablePrincipalType(type)) return undefined;
  const level = requested as ScopeLevel | undefined;
  const path = scopePath(scope);
  switch (type) {
    case 'USER':
      if (lookups.isScopeMember(identifier, scope)) return { type, identifier };
      errors.push(
        fieldError(
          'principal.identifier',
          `user not found with the given identifier ${identifier} in the scope ${path}`,
        ),
      );
      return undefined;
    case 'USER_GROUP': {
      const groupLevel = level ?? scope.level;
      const groupScope = ancestorAtLevel(scope, groupLevel) ?? scope;
      const exists = isAllUsersGroupIdentifier(identifier)
        ? ALL_USERS_GROUP_IDENTIFIERS[groupLevel] === identifier
        : lookups.userGroupExists(groupScope, identifier);
      if (exists) return { type, identifier, scopeLevel: groupLevel };
      errors.push(
        fieldError(
          'principal.identifier',
          `user group not found with the given identifier ${identifier} in the scope ${scopePath(groupScope)}`,
        ),
      );
      return undefined;
    }
    case 'SERVICE_ACCOUNT': {
      const found = lookups.serviceAccountScope(scope.accountIdentifier, identifier);
      const reachable = found !== undefined && isSelfOrAncestor(found, scope);
      if (found && reachable && (level === undefined || found.level === level)) {
        return { type, identifier, scopeLevel: found.level };
      }
      const where =
        level === undefined
          ? `account ${scope.accountIdentifier}`
          : `scope ${scopePath(ancestorAtLevel(scope, level) ?? scope)}`;
      errors.push(
        fieldError(
          'principal.identifier',
          `Service Account not found with the given identifier ${identifier} in ${where}`,
        ),
      );
      return undefined;
    }
  }
}

/**
 * Validates a role assignment to be created at `scope` (reference §8.4 steps 1–6 and 8; step 7, caller
 * authorization, is the API's job):
 *
 * 1. `_all_resources` is rejected as deprecated;
 * 2. the principal type is USER, USER_GROUP or SERVICE_ACCOUNT, and `principal.scopeLevel` (ignored for
 *    USER) is the assignment's level or higher;
 * 3. the scope exists (nothing else is checked when it does not);
 * 4. the principal exists: a USER is a member of the scope; a USER_GROUP exists at the ancestor of the
 *    scope at its level (all-users groups exist at their own level only); a SERVICE_ACCOUNT lives at the
 *    scope or an ancestor (at `scopeLevel` when given);
 * 5–6. the resource group and the role resolve in the scope (custom at exactly it, or managed and allowed
 *    at its level);
 * 8. the identifier (given, or from `identifierFactory`) is free in the scope, and no equal assignment
 *    exists (reported at {@link DUPLICATE_ROLE_ASSIGNMENT_FIELD}).
 *
 * The value is normalised so that equal assignments compare equal: a USER has no `scopeLevel`, a
 * USER_GROUP's defaults to the assignment's level, a SERVICE_ACCOUNT's is where it lives; `disabled`
 * defaults to false and `managed` is always false.
 */
export function validateRoleAssignment(
  input: RoleAssignmentInput,
  scope: Scope,
  lookups: RoleAssignmentLookups,
): Validation<RoleAssignment> {
  const errors: FieldError[] = [];
  const { roleIdentifier, resourceGroupIdentifier } = input;
  const identifierGiven = !isBlank(input.identifier);
  if (identifierGiven) {
    const problem = validateEntityIdentifier('identifier', input.identifier);
    if (problem) errors.push(problem);
  }
  if (resourceGroupIdentifier === DEPRECATED_ALL_RESOURCES) {
    errors.push(fieldError('resourceGroupIdentifier', ROLE_ASSIGNMENT_ERRORS.deprecatedAllResources));
  }
  if (!lookups.scopeExists(scope)) {
    errors.push(fieldError(scopeFieldId(scope), `Invalid scope ${scopePath(scope)}`));
    return invalid(errors);
  }
  const principal = checkPrincipal(input.principal, scope, lookups, errors);
  const path = scopePath(scope);
  if (resourceGroupIdentifier !== DEPRECATED_ALL_RESOURCES) {
    if (
      !resolveResourceGroupAt(scope, resourceGroupIdentifier, (at, id) => lookups.customResourceGroup(at, id))
    ) {
      errors.push(
        fieldError(
          'resourceGroupIdentifier',
          `Did not find resource group identifier ${resourceGroupIdentifier} in ${path}`,
        ),
      );
    }
  }
  if (!resolveRoleAt(scope, roleIdentifier, (at, id) => lookups.customRole(at, id))) {
    errors.push(fieldError('roleIdentifier', `Did not find role ${roleIdentifier} in ${path}`));
  }
  if (errors.length > 0 || !principal) return invalid(errors);

  const identifier = identifierGiven ? (input.identifier as string) : lookups.identifierFactory();
  if (lookups.assignmentExists(scope, identifier)) {
    return invalid([
      fieldError('identifier', `A role assignment with identifier ${identifier} already exists in ${path}`),
    ]);
  }
  const candidate: RoleAssignment = {
    identifier,
    scope,
    roleIdentifier,
    resourceGroupIdentifier,
    principal,
    disabled: input.disabled ?? false,
    managed: false,
  };
  const duplicate = lookups.duplicateOf(candidate);
  if (duplicate !== undefined) {
    return invalid([
      fieldError(
        DUPLICATE_ROLE_ASSIGNMENT_FIELD,
        `A role assignment with the same role, resource group and principal already exists in ${path}: ${duplicate}`,
      ),
    ]);
  }
  return valid(candidate);
}

/**
 * Validates the replacement of `existing` (found by `pathIdentifier`): the body identifier must equal
 * the path, and the resource group, role, principal identifier, type and scope level cannot change
 * (an omitted `principal.scopeLevel` keeps the stored one; USER principals have none). Only `disabled`
 * changes; like Harness's `boolean disabled`, an omitted value means false. `managed` is preserved.
 */
export function validateRoleAssignmentUpdate(
  existing: RoleAssignment,
  input: RoleAssignmentInput,
  pathIdentifier: string,
): Validation<RoleAssignment> {
  const { principal } = existing;
  if (input.identifier !== pathIdentifier || input.identifier !== existing.identifier) {
    return invalid([fieldError('identifier', ROLE_ASSIGNMENT_ERRORS.identifierMismatch)]);
  }
  const errors: FieldError[] = [];
  const changed = (fieldId: string, error: string, same: boolean): void => {
    if (!same) errors.push(fieldError(fieldId, error));
  };
  const { changeResourceGroup, changeRole, changePrincipal, changePrincipalType, changePrincipalScope } =
    ROLE_ASSIGNMENT_ERRORS;
  changed(
    'resourceGroupIdentifier',
    changeResourceGroup,
    input.resourceGroupIdentifier === existing.resourceGroupIdentifier,
  );
  changed('roleIdentifier', changeRole, input.roleIdentifier === existing.roleIdentifier);
  changed('principal.identifier', changePrincipal, input.principal.identifier === principal.identifier);
  changed('principal.type', changePrincipalType, input.principal.type === principal.type);
  const requestedLevel = isBlank(input.principal.scopeLevel) ? undefined : input.principal.scopeLevel;
  changed(
    'principal.scopeLevel',
    changePrincipalScope,
    principal.type === 'USER' || requestedLevel === undefined || requestedLevel === principal.scopeLevel,
  );
  if (errors.length > 0) return invalid(errors);
  return valid({ ...existing, disabled: input.disabled ?? false });
}
