import type { RoleAssignment } from '../../../core/role-assignment.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { validateRoleAssignmentUpdate } from '../../../core/validation/role-assignment-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { roleAssignmentItem } from '../../../store/entities/role-assignments.js';
import type { Versioned } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentAt, roleAssignmentsAt } from '../../../store/readers/access-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ApiError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { newMeta, nextMeta } from '../principals/principal-request.js';
import { requirePermission } from '../require-permission.js';
import { type RoleAssignmentResponse, roleAssignmentResponse } from './access-responses.js';
import {
  multiRoleAssignmentSchema,
  type RoleAssignmentBody,
  type RoleAssignmentFilterBody,
  roleAssignmentFilterSchema,
  roleAssignmentSchema,
} from './access-schemas.js';
import { requireResolvableRoleReference } from './role-assignment-harness-routes.js';
import {
  noPlannedKeys,
  planAssignmentCreate,
  principalManageCheck,
  principalViewCheck,
  removalOperations,
  requireAccountAdminRemains,
  viewablePrincipalTypes,
} from './role-assignment-plan.js';

const ASSIGNMENTS = '/authz/api/roleassignments';
const ASSIGNMENT = `${ASSIGNMENTS}/{identifier}`;

/** Assignments of one bulk request written per transaction (each may write 4 items: itself, its guard, a companion and its guard). */
const MULTI_CHUNK = 20;

function notFoundMessage(identifier: string, scope: Scope): string {
  return `Role assignment ${identifier} not found in ${scopePath(scope)}`;
}

function existingAssignment(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): Versioned<RoleAssignment> {
  const existing = roleAssignmentAt(policy.items, scope, identifier);
  if (!existing) throw new NotFoundError(notFoundMessage(identifier, scope));
  return existing;
}

const TAG = 'Role assignments';

const createAssignment = endpoint({
  method: 'POST',
  path: ASSIGNMENTS,
  summary: 'Create a role assignment (nobody may grant more than they hold)',
  tag: TAG,
  body: roleAssignmentSchema,
  needs: 'per-resource',
  handle: ({ scope, body, now, write }) => {
    requireResolvableRoleReference(scope, body);
    return write((_policy, caller) => {
      const meta = newMeta(now());
      const planned = planAssignmentCreate(caller, scope, body, meta, noPlannedKeys());
      return { operations: planned.operations, result: roleAssignmentResponse(planned.assignment, meta) };
    });
  },
});

/**
 * Creates many assignments at the scope; an item that is malformed, invalid, not permitted to the
 * caller or a duplicate (of a stored assignment or of an earlier item) is skipped silently, as in
 * Harness. Answers the created assignments only. Items are written in transactions of
 * {@link MULTI_CHUNK}.
 */
const createAssignments = endpoint({
  method: 'POST',
  path: `${ASSIGNMENTS}/multi`,
  summary: 'Create many role assignments ({roleAssignments: […]}, ≤ 100); invalid ones are skipped',
  tag: TAG,
  body: multiRoleAssignmentSchema,
  needs: 'per-resource',
  handle: async ({ scope, body, now, write }) => {
    const inputs = body.roleAssignments.flatMap((item) => {
      const parsed = roleAssignmentSchema.safeParse(item);
      return parsed.success && referenceResolves(scope, parsed.data) ? [parsed.data] : [];
    });
    const created: RoleAssignmentResponse[] = [];
    for (let start = 0; start < inputs.length; start += MULTI_CHUNK) {
      const chunk = inputs.slice(start, start + MULTI_CHUNK);
      const results = await write((_policy, caller) => {
        const planned = noPlannedKeys();
        const meta = newMeta(now());
        const operations: ChangeOperation[] = [];
        const result: RoleAssignmentResponse[] = [];
        for (const input of chunk) {
          try {
            const plan = planAssignmentCreate(caller, scope, input, meta, planned);
            operations.push(...plan.operations);
            result.push(roleAssignmentResponse(plan.assignment, meta));
          } catch (error) {
            if (!(error instanceof ApiError) || error.status >= 500) throw error;
          }
        }
        return { operations, result };
      });
      created.push(...results);
    }
    return created;
  },
});

/** False when the item's `roleReference` cannot be honoured (the item is then skipped like any invalid one). */
function referenceResolves(scope: Scope, body: RoleAssignmentBody): boolean {
  try {
    requireResolvableRoleReference(scope, body);
    return true;
  } catch {
    return false;
  }
}

function includes<T>(filter: readonly T[] | null | undefined, value: T): boolean {
  return !filter || filter.length === 0 || filter.includes(value);
}

/** Whether an assignment passes a `RoleAssignmentFilter` (each non-empty list must contain its value). */
function matchesFilter(assignment: RoleAssignment, filter: RoleAssignmentFilterBody): boolean {
  const { principal } = assignment;
  const principalFilter = filter.principalFilter ?? [];
  return (
    includes(filter.resourceGroupFilter, assignment.resourceGroupIdentifier) &&
    includes(filter.roleFilter, assignment.roleIdentifier) &&
    includes(filter.principalTypeFilter, principal.type) &&
    (!filter.principalScopeLevelFilter?.length ||
      (principal.scopeLevel !== undefined &&
        filter.principalScopeLevelFilter.includes(principal.scopeLevel))) &&
    includes(filter.harnessManagedFilter, assignment.managed) &&
    includes(filter.disabledFilter, assignment.disabled) &&
    (principalFilter.length === 0 ||
      principalFilter.some(
        (wanted) =>
          wanted.type === principal.type &&
          wanted.identifier === principal.identifier &&
          (!wanted.scopeLevel || wanted.scopeLevel === principal.scopeLevel),
      ))
  );
}

/** The assignments at exactly the scope whose principal types the caller may view, most recent first. */
function visibleAssignments(auth: AuthenticatedRequest, scope: Scope, filter: RoleAssignmentFilterBody) {
  const types = viewablePrincipalTypes(auth, scope);
  return roleAssignmentsAt(auth.policy.items, scope)
    .filter(({ value }) => types.has(value.principal.type) && matchesFilter(value, filter))
    .sort(
      (a, b) =>
        b.meta.lastModifiedAt - a.meta.lastModifiedAt || a.value.identifier.localeCompare(b.value.identifier),
    )
    .map(({ value, meta }) => roleAssignmentResponse(value, meta));
}

const listAssignments = endpoint({
  method: 'GET',
  path: ASSIGNMENTS,
  summary: 'List role assignments at the scope',
  tag: TAG,
  paged: true,
  needs: 'per-resource',
  handle: async ({ auth, scope, page }) => page(visibleAssignments(auth, scope, {})),
});

const filterAssignments = endpoint({
  method: 'POST',
  path: `${ASSIGNMENTS}/filter`,
  summary: 'List role assignments matching a filter',
  tag: TAG,
  body: roleAssignmentFilterSchema,
  emptyBody: {},
  paged: true,
  needs: 'per-resource',
  handle: async ({ auth, scope, body, page }) => page(visibleAssignments(auth, scope, body)),
});

const getAssignment = endpoint({
  method: 'GET',
  path: ASSIGNMENT,
  summary: 'Get a role assignment',
  tag: TAG,
  needs: 'per-resource',
  notFound: notFoundMessage,
  handle: async ({ auth, scope, identifier }) => {
    const types = viewablePrincipalTypes(auth, scope);
    const { value, meta } = existingAssignment(auth.policy, scope, identifier);
    if (!types.has(value.principal.type)) {
      requirePermission(auth, principalViewCheck(value.principal.type, scope));
    }
    return roleAssignmentResponse(value, meta);
  },
});

/**
 * Replaces an assignment; only `disabled` may change (reference §8.4). Needs the §5.5 permission on
 * its principal; disabling a managed admin assignment keeps an account admin (409 otherwise);
 * re-enabling is held to the anti-escalation rule like a create (by `writeAccount`).
 */
const updateAssignment = endpoint({
  method: 'PUT',
  path: ASSIGNMENT,
  summary: 'Enable or disable a role assignment (only `disabled` may change)',
  tag: TAG,
  body: roleAssignmentSchema,
  needs: 'per-resource',
  notFound: notFoundMessage,
  handle: ({ scope, identifier, body, now, write }) =>
    write((policy, caller) => {
      const existing = existingAssignment(policy, scope, identifier);
      const validation = validateRoleAssignmentUpdate(existing.value, body, identifier);
      if (!validation.ok) throw new InvalidRequestError('Invalid role assignment', validation.errors);
      const updated = validation.value;
      requirePermission(caller, principalManageCheck(existing.value));
      if (updated.disabled === existing.value.disabled) {
        return { operations: [], result: roleAssignmentResponse(existing.value, existing.meta) };
      }
      if (updated.disabled) requireAccountAdminRemains(policy, existing.value, 'disabling');
      const meta = nextMeta(existing.meta, now());
      const operations: ChangeOperation[] = [
        {
          kind: 'replace',
          item: roleAssignmentItem(policy.accountId, updated, meta),
          expectedVersion: existing.meta.version,
        },
      ];
      return { operations, result: roleAssignmentResponse(updated, meta) };
    }),
});

/**
 * Deletes an assignment and its uniqueness guard; answers the deleted assignment. Managed assignments
 * cannot be deleted (400); a managed admin assignment only while another account admin remains (409).
 */
const deleteAssignment = endpoint({
  method: 'DELETE',
  path: ASSIGNMENT,
  summary: 'Delete a role assignment (never the last account admin)',
  tag: TAG,
  needs: 'per-resource',
  notFound: notFoundMessage,
  handle: ({ scope, identifier, write }) =>
    write((policy, caller) => {
      const existing = existingAssignment(policy, scope, identifier);
      requirePermission(caller, principalManageCheck(existing.value));
      if (existing.value.managed) {
        throw new InvalidRequestError('Cannot delete a managed role assignment', [
          fieldError('identifier', 'Cannot delete a managed role assignment'),
        ]);
      }
      requireAccountAdminRemains(policy, existing.value, 'deleting');
      return {
        operations: removalOperations(policy.items, existing.value),
        result: roleAssignmentResponse(existing.value, existing.meta),
      };
    }),
});

/**
 * The role-assignment endpoints (reference §5.5, §8.4), scoped by the query parameters:
 * `POST /authz/api/roleassignments` (one `RoleAssignmentDTO`), `POST …/multi`
 * (`{roleAssignments: […]}`, invalid items skipped), `GET /authz/api/roleassignments` and
 * `POST …/filter` (`RoleAssignmentFilter`) listing exactly that scope, and
 * `GET/PUT/DELETE …/{identifier}`. Writes need the §5.5 permission on the principal and pass the
 * anti-escalation rule (`escalation-guard.ts`); reads show only the principal types the caller may
 * view.
 */
export function roleAssignmentRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    createAssignment,
    createAssignments,
    listAssignments,
    filterAssignments,
    getAssignment,
    updateAssignment,
    deleteAssignment,
  ]);
}
