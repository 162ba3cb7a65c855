import * as z from 'zod';
import { findManagedResourceGroup } from '../../../core/managed-resource-groups.js';
import { findManagedRole } from '../../../core/managed-roles.js';
import type { Scope } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { validateRoleAssignment } from '../../../core/validation/role-assignment-validation.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  customResourceGroupAt,
  customRoleAt,
  roleAssignmentAt,
  roleAssignmentsAt,
} from '../../../store/readers/access-readers.js';
import { ApiError, InvalidRequestError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { requirePermission } from '../require-permission.js';
import { scopeDto } from './access-request.js';
import { resourceGroupResponse, roleAssignmentResponse, roleResponse } from './access-responses.js';
import {
  type RoleAssignmentBody,
  roleAssignmentFilterSchema,
  roleAssignmentSchema,
} from './access-schemas.js';
import {
  assignmentLookups,
  principalManageCheck,
  removalOperations,
  requireAccountAdminRemains,
  viewablePrincipalTypes,
} from './role-assignment-plan.js';

/**
 * The role-assignment endpoints of Harness's `RoleAssignmentResource` besides CRUD: the aggregate
 * (assignments with their roles and resource groups), validation of an assignment before it is made,
 * and batch deletion.
 */

const ASSIGNMENTS = '/authz/api/roleassignments';

/** Harness's `RoleAssignmentValidationRequestDTO`. */
export const roleAssignmentValidationSchema = z.strictObject({
  roleAssignment: roleAssignmentSchema,
  validatePrincipal: z.boolean().nullish(),
  validateRole: z.boolean().nullish(),
  validateResourceGroup: z.boolean().nullish(),
});

/** The body of `POST /authz/api/roleassignments/delete/batch`: the identifiers of the assignments to delete. */
export const deleteBatchSchema = z.array(z.string().min(1).max(128)).min(1).max(100);

/**
 * 400 naming `roleReference.scopeLevel` when the reference names a custom role of another level than
 * the assignment's scope: roles are resolved at the assignment's scope, so such a reference cannot be
 * honoured (managed roles are the same at every level).
 */
export function requireResolvableRoleReference(scope: Scope, body: RoleAssignmentBody): void {
  const reference = body.roleReference;
  if (!reference || reference.scopeLevel === scope.level || findManagedRole(reference.identifier)) return;
  throw new InvalidRequestError('The role reference names a role of another scope level', [
    fieldError(
      'roleReference.scopeLevel',
      `must be ${scope.level}: custom roles are resolved at the assignment's scope`,
    ),
  ]);
}

/** The role named `identifier` as seen at `scope`, as its response, if it resolves. */
function roleAt(policy: AccountPolicy, scope: Scope, identifier: string) {
  const custom = customRoleAt(policy.items, scope, identifier);
  if (custom) return roleResponse(custom.value, custom.meta);
  const managed = findManagedRole(identifier);
  return managed ? roleResponse(managed, undefined) : undefined;
}

/** The resource group named `identifier` as seen at `scope`, as its response, if it resolves. */
function resourceGroupAt(policy: AccountPolicy, scope: Scope, identifier: string) {
  const custom = customResourceGroupAt(policy.items, scope, identifier);
  if (custom) return resourceGroupResponse(custom.value, custom.meta, scope);
  const managed = findManagedResourceGroup(identifier);
  return managed ? resourceGroupResponse(managed, undefined, scope) : undefined;
}

/**
 * `POST /authz/api/roleassignments/aggregate` (Harness `RoleAssignmentAggregateResponseDTO`): the
 * visible assignments at the scope matching the body's `RoleAssignmentFilter`, with the roles and
 * resource groups they use.
 */
const TAG = 'Role assignments';

const aggregate = endpoint({
  method: 'POST',
  path: `${ASSIGNMENTS}/aggregate`,
  summary: 'Role assignments matching a filter, with their roles and resource groups',
  tag: TAG,
  body: roleAssignmentFilterSchema,
  emptyBody: {},
  needs: 'per-resource',
  handle: async ({ auth, scope, body: filter }) => {
    const types = viewablePrincipalTypes(auth, scope);
    const matches = (values: readonly string[] | null | undefined, value: string) =>
      !values?.length || values.includes(value);
    const stored = roleAssignmentsAt(auth.policy.items, scope)
      .filter(
        ({ value: assignment }) =>
          types.has(assignment.principal.type) &&
          matches(filter.roleFilter, assignment.roleIdentifier) &&
          matches(filter.resourceGroupFilter, assignment.resourceGroupIdentifier) &&
          matches(filter.principalTypeFilter, assignment.principal.type),
      )
      .sort((a, b) => a.value.identifier.localeCompare(b.value.identifier));
    const assignments = stored.map(({ value }) => value);
    const roles = [...new Set(assignments.map((assignment) => assignment.roleIdentifier))].flatMap(
      (identifier) => roleAt(auth.policy, scope, identifier) ?? [],
    );
    const resourceGroups = [
      ...new Set(assignments.map((assignment) => assignment.resourceGroupIdentifier)),
    ].flatMap((identifier) => resourceGroupAt(auth.policy, scope, identifier) ?? []);
    return {
      roleAssignments: stored.map(({ value, meta }) => roleAssignmentResponse(value, meta).roleAssignment),
      scope: scopeDto(scope),
      roles,
      resourceGroups,
    };
  },
});

/** A `ValidationResult` of Harness: valid, or the reasons joined. */
function result(errors: readonly { error: string }[]) {
  return errors.length === 0
    ? { valid: true }
    : { valid: false, errorMessage: errors.map((entry) => entry.error).join('; ') };
}

/**
 * `POST /authz/api/roleassignments/validate`: whether the principal, role and resource group of an
 * assignment resolve at the scope (Harness `RoleAssignmentValidationResponseDTO`); nothing is written.
 */
const validate = endpoint({
  method: 'POST',
  path: `${ASSIGNMENTS}/validate`,
  summary: 'Whether the principal, role and resource group of an assignment resolve (nothing written)',
  tag: TAG,
  body: roleAssignmentValidationSchema,
  needs: 'per-resource',
  handle: async ({ auth, scope, body }) => {
    const validation = validateRoleAssignment(body.roleAssignment, scope, assignmentLookups(auth.policy));
    const errors = validation.ok ? [] : validation.errors;
    const about = (prefix: string) => errors.filter((entry) => entry.fieldId.startsWith(prefix));
    return {
      principalValidationResult: result(body.validatePrincipal === false ? [] : about('principal')),
      roleValidationResult: result(body.validateRole === false ? [] : about('roleIdentifier')),
      resourceGroupValidationResult: result(
        body.validateResourceGroup === false ? [] : about('resourceGroupIdentifier'),
      ),
    };
  },
});

/**
 * `POST /authz/api/roleassignments/delete/batch` (Harness `RoleAssignmentDeleteResponseDTO`): deletes
 * each listed assignment as `DELETE …/{identifier}` would, one write each; a refused one (missing,
 * managed, not permitted, the last account admin) is reported, not fatal.
 */
const deleteBatch = endpoint({
  method: 'POST',
  path: `${ASSIGNMENTS}/delete/batch`,
  summary: 'Delete several role assignments by identifier; refusals are reported per identifier',
  tag: TAG,
  body: deleteBatchSchema,
  needs: 'per-resource',
  handle: async ({ scope, body, write }) => {
    const identifiers = [...new Set(body)];
    let successfullyDeleted = 0;
    const roleAssignmentErrorResponseDTOList: { roleAssignmentIdentifier: string; errorMessage: string }[] =
      [];
    for (const identifier of identifiers) {
      try {
        await write((policy, caller) => {
          const existing = roleAssignmentAt(policy.items, scope, identifier);
          if (!existing) throw new InvalidRequestError(`Role assignment ${identifier} not found`, []);
          requirePermission(caller, principalManageCheck(existing.value));
          if (existing.value.managed)
            throw new InvalidRequestError('Cannot delete a managed role assignment', []);
          requireAccountAdminRemains(policy, existing.value, 'deleting');
          return { operations: removalOperations(policy.items, existing.value), result: true };
        });
        successfullyDeleted += 1;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        roleAssignmentErrorResponseDTOList.push({
          roleAssignmentIdentifier: identifier,
          errorMessage: error.message,
        });
      }
    }
    return {
      successfullyDeleted,
      failedToDelete: roleAssignmentErrorResponseDTOList.length,
      roleAssignmentErrorResponseDTOList,
    };
  },
});

/** The Harness-client role-assignment routes: aggregate, validate, delete/batch. */
export function roleAssignmentHarnessRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [aggregate, validate, deleteBatch]);
}
