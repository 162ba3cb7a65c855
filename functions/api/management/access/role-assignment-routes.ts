import type { RoleAssignment } from '../../../core/role-assignment.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { validateRoleAssignmentUpdate } from '../../../core/validation/role-assignment-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { roleAssignmentItem } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentAt, roleAssignmentsAt, type Stored } from '../../../store/readers/access-readers.js';
import { ApiError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { requirePermission } from '../require-permission.js';
import { writeAccount } from '../write-account.js';
import { accessRoute, pageFor, pathIdentifier, scopedRequest, withPolicy } from './access-request.js';
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

function existingAssignment(policy: AccountPolicy, scope: Scope, identifier: string): Stored<RoleAssignment> {
  const existing = roleAssignmentAt(policy.items, scope, identifier);
  if (!existing) throw new NotFoundError(notFoundMessage(identifier, scope));
  return existing;
}

function newMeta(now: number) {
  return { createdAt: now, lastModifiedAt: now, version: 1 };
}

async function createAssignment(context: ManagementContext, request: ApiRequest) {
  const { auth, scope } = await scopedRequest(request, context);
  const body = parseInput(roleAssignmentSchema, request.body);
  requireResolvableRoleReference(scope, body);
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    requireExistingScope(policy, scope);
    const meta = newMeta(context.now());
    const planned = planAssignmentCreate(withPolicy(auth, policy), scope, body, meta, noPlannedKeys());
    return { operations: planned.operations, result: roleAssignmentResponse(planned.assignment, meta) };
  });
}

/**
 * Creates many assignments at the scope; an item that is malformed, invalid, not permitted to the
 * caller or a duplicate (of a stored assignment or of an earlier item) is skipped silently, as in
 * Harness. Answers the created assignments only. Items are written in transactions of
 * {@link MULTI_CHUNK}.
 */
async function createAssignments(context: ManagementContext, request: ApiRequest) {
  const { auth, scope } = await scopedRequest(request, context);
  const { roleAssignments } = parseInput(multiRoleAssignmentSchema, request.body);
  const inputs = roleAssignments.flatMap((item) => {
    const parsed = roleAssignmentSchema.safeParse(item);
    return parsed.success && referenceResolves(scope, parsed.data) ? [parsed.data] : [];
  });
  const created: RoleAssignmentResponse[] = [];
  for (let start = 0; start < inputs.length; start += MULTI_CHUNK) {
    const chunk = inputs.slice(start, start + MULTI_CHUNK);
    const results = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
      requireExistingScope(policy, scope);
      const caller = withPolicy(auth, policy);
      const planned = noPlannedKeys();
      const meta = newMeta(context.now());
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
}

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
async function visibleAssignments(
  context: ManagementContext,
  request: ApiRequest,
  readFilter: () => RoleAssignmentFilterBody,
) {
  const { auth, scope } = await scopedRequest(request, context);
  const filter = readFilter();
  const types = viewablePrincipalTypes(auth, scope);
  const assignments = roleAssignmentsAt(auth.policy.items, scope)
    .filter(({ value }) => types.has(value.principal.type) && matchesFilter(value, filter))
    .sort(
      (a, b) =>
        b.meta.lastModifiedAt - a.meta.lastModifiedAt || a.value.identifier.localeCompare(b.value.identifier),
    )
    .map(({ value, meta }) => roleAssignmentResponse(value, meta));
  return pageFor(request, assignments);
}

async function listAssignments(context: ManagementContext, request: ApiRequest) {
  return visibleAssignments(context, request, () => ({}));
}

async function filterAssignments(context: ManagementContext, request: ApiRequest) {
  return visibleAssignments(context, request, () =>
    parseInput(roleAssignmentFilterSchema, request.body ?? {}),
  );
}

async function getAssignment(context: ManagementContext, request: ApiRequest) {
  const { auth, scope } = await scopedRequest(request, context);
  const identifier = pathIdentifier(request, (id) => notFoundMessage(id, scope));
  const types = viewablePrincipalTypes(auth, scope);
  const { value, meta } = existingAssignment(auth.policy, scope, identifier);
  if (!types.has(value.principal.type)) {
    requirePermission(auth, principalViewCheck(value.principal.type, scope));
  }
  return roleAssignmentResponse(value, meta);
}

/**
 * Replaces an assignment; only `disabled` may change (reference §8.4). Needs the §5.5 permission on
 * its principal; disabling a managed admin assignment keeps an account admin (409 otherwise);
 * re-enabling is held to the anti-escalation rule like a create (by `writeAccount`).
 */
async function updateAssignment(context: ManagementContext, request: ApiRequest) {
  const { auth, scope } = await scopedRequest(request, context);
  const identifier = pathIdentifier(request, (id) => notFoundMessage(id, scope));
  const body: RoleAssignmentBody = parseInput(roleAssignmentSchema, request.body);
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    requireExistingScope(policy, scope);
    const caller = withPolicy(auth, policy);
    const existing = existingAssignment(policy, scope, identifier);
    const validation = validateRoleAssignmentUpdate(existing.value, body, identifier);
    if (!validation.ok) throw new InvalidRequestError('Invalid role assignment', validation.errors);
    const updated = validation.value;
    requirePermission(caller, principalManageCheck(existing.value));
    if (updated.disabled === existing.value.disabled) {
      return { operations: [], result: roleAssignmentResponse(existing.value, existing.meta) };
    }
    if (updated.disabled) requireAccountAdminRemains(policy, existing.value, 'disabling');
    const meta = {
      createdAt: existing.meta.createdAt,
      lastModifiedAt: context.now(),
      version: existing.meta.version + 1,
    };
    const operations: ChangeOperation[] = [
      {
        kind: 'replace',
        item: roleAssignmentItem(policy.accountId, updated, meta),
        expectedVersion: existing.meta.version,
      },
    ];
    return { operations, result: roleAssignmentResponse(updated, meta) };
  });
}

/**
 * Deletes an assignment and its uniqueness guard; answers the deleted assignment. Managed assignments
 * cannot be deleted (400); a managed admin assignment only while another account admin remains (409).
 */
async function deleteAssignment(context: ManagementContext, request: ApiRequest) {
  const { auth, scope } = await scopedRequest(request, context);
  const identifier = pathIdentifier(request, (id) => notFoundMessage(id, scope));
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    requireExistingScope(policy, scope);
    const existing = existingAssignment(policy, scope, identifier);
    requirePermission(withPolicy(auth, policy), principalManageCheck(existing.value));
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
  });
}

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
  return [
    accessRoute('POST', ASSIGNMENTS, context, createAssignment),
    accessRoute('POST', `${ASSIGNMENTS}/multi`, context, createAssignments),
    accessRoute('GET', ASSIGNMENTS, context, listAssignments),
    accessRoute('POST', `${ASSIGNMENTS}/filter`, context, filterAssignments),
    accessRoute('GET', ASSIGNMENT, context, getAssignment),
    accessRoute('PUT', ASSIGNMENT, context, updateAssignment),
    accessRoute('DELETE', ASSIGNMENT, context, deleteAssignment),
  ];
}
