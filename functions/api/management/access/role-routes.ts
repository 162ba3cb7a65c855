import { findManagedRole, MANAGED_ROLES } from '../../../core/managed-roles.js';
import type { CustomRole, ManagedRole, Role } from '../../../core/role.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { validateCustomRole, validateRoleUpdate } from '../../../core/validation/role-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { customRoleDeletion, customRoleItem, hasCustomRole } from '../../../store/entities/roles.js';
import type { ItemMeta, Versioned } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { customRoleAt, customRolesAt, roleAssignmentsAt } from '../../../store/readers/access-readers.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { newMeta, nextMeta } from '../principals/principal-request.js';
import { matchesSearchTerm } from './access-request.js';
import { type RoleResponse, roleResponse } from './access-responses.js';
import { type RoleBody, roleSchema } from './access-schemas.js';
import { assignmentsUsing, removalOperations } from './role-assignment-plan.js';

const ROLES = '/authz/api/roles';
const ROLE = `${ROLES}/{identifier}`;

/** A managed role usable at the scope's level, or `undefined`. */
function managedRoleAt(scope: Scope, identifier: string): ManagedRole | undefined {
  const role = findManagedRole(identifier);
  return role?.allowedScopeLevels.includes(scope.level) ? role : undefined;
}

function notFoundMessage(identifier: string, scope: Scope): string {
  return `Could not find the role ${identifier} in the scope ${scopePath(scope)}`;
}

/** The role `identifier` as seen at `scope`: the custom one defined there, else a managed one allowed there; 404 otherwise. */
function findRole(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): { role: Role; meta: ItemMeta | undefined } {
  const custom = customRoleAt(policy.items, scope, identifier);
  if (custom) return { role: custom.value, meta: custom.meta };
  const managed = managedRoleAt(scope, identifier);
  if (managed) return { role: managed, meta: undefined };
  throw new NotFoundError(notFoundMessage(identifier, scope));
}

/** The custom role to change; 400 for a managed role (never editable), 404 when absent. */
function customRoleToChange(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
  action: 'update' | 'delete',
): Versioned<CustomRole> {
  const custom = customRoleAt(policy.items, scope, identifier);
  if (custom) return custom;
  if (findManagedRole(identifier)) {
    throw new InvalidRequestError(`Cannot ${action} a managed role`, [
      { fieldId: 'identifier', error: `${identifier} is a managed role and cannot be changed` },
    ]);
  }
  throw new NotFoundError(notFoundMessage(identifier, scope));
}

function roleInput(body: RoleBody) {
  return { ...body, permissions: body.permissions ?? [] };
}

/** The counts of the list endpoint's `RoleWithPrincipalCountResponse`, over the assignments at `scope`. */
function principalCounts(policy: AccountPolicy, scope: Scope): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>();
  for (const { value } of roleAssignmentsAt(policy.items, scope)) {
    const entry = counts.get(value.roleIdentifier) ?? {
      roleAssignedToUserCount: 0,
      roleAssignedToUserGroupCount: 0,
      roleAssignedToServiceAccountCount: 0,
    };
    const field =
      value.principal.type === 'USER'
        ? 'roleAssignedToUserCount'
        : value.principal.type === 'USER_GROUP'
          ? 'roleAssignedToUserGroupCount'
          : 'roleAssignedToServiceAccountCount';
    entry[field] = (entry[field] ?? 0) + 1;
    counts.set(value.roleIdentifier, entry);
  }
  return counts;
}

function byManagedThenRecent(a: RoleResponse, b: RoleResponse): number {
  if (a.harnessManaged !== b.harnessManaged) return a.harnessManaged ? -1 : 1;
  return (
    (b.lastModifiedAt ?? 0) - (a.lastModifiedAt ?? 0) || a.role.identifier.localeCompare(b.role.identifier)
  );
}

const ROLE_TAG = 'Roles';

const createRole = endpoint({
  method: 'POST',
  path: ROLES,
  summary: 'Create a custom role',
  tag: ROLE_TAG,
  body: roleSchema,
  needs: { permission: 'core_role_edit', resourceType: 'ROLE' },
  handle: ({ auth, scope, body, now, write }) =>
    write((policy) => {
      const validation = validateCustomRole(roleInput(body), scope);
      if (!validation.ok) throw new InvalidRequestError('Invalid role', validation.errors);
      const role = validation.value;
      if (hasCustomRole(policy.items, scope, role.identifier)) {
        throw new ConflictError(
          `A role with identifier ${role.identifier} in this scope ${scopePath(scope)} is already present`,
        );
      }
      const meta = newMeta(now());
      const operations: ChangeOperation[] = [
        { kind: 'create', item: customRoleItem(auth.accountId, role, meta) },
      ];
      return { operations, result: roleResponse(role, meta) };
    }),
});

const listRoles = endpoint({
  method: 'GET',
  path: ROLES,
  summary: 'List managed and custom roles visible at the scope',
  tag: ROLE_TAG,
  paged: true,
  needs: { permission: 'core_role_view', resourceType: 'ROLE' },
  handle: async ({ request, auth, scope, page }) => {
    const counts = principalCounts(auth.policy, scope);
    const noCounts = {
      roleAssignedToUserCount: 0,
      roleAssignedToUserGroupCount: 0,
      roleAssignedToServiceAccountCount: 0,
    };
    const roles = [
      ...customRolesAt(auth.policy.items, scope).map(({ value, meta }) => roleResponse(value, meta)),
      ...MANAGED_ROLES.filter((role) => !role.internal && role.allowedScopeLevels.includes(scope.level)).map(
        (role) => roleResponse(role, undefined),
      ),
    ]
      .filter((response) => matchesSearchTerm(request, response.role))
      .sort(byManagedThenRecent)
      .map((response) => ({ ...response, ...(counts.get(response.role.identifier) ?? noCounts) }));
    return page(roles);
  },
});

const getRole = endpoint({
  method: 'GET',
  path: ROLE,
  summary: 'Get a role',
  tag: ROLE_TAG,
  needs: { permission: 'core_role_view', resourceType: 'ROLE', on: 'path' },
  notFound: notFoundMessage,
  handle: async ({ auth, scope, identifier }) => {
    const { role, meta } = findRole(auth.policy, scope, identifier);
    return roleResponse(role, meta);
  },
});

const updateRole = endpoint({
  method: 'PUT',
  path: ROLE,
  summary: 'Update a custom role',
  tag: ROLE_TAG,
  body: roleSchema,
  needs: { permission: 'core_role_edit', resourceType: 'ROLE', on: 'path' },
  notFound: notFoundMessage,
  handle: ({ auth, scope, identifier, body, now, write }) =>
    write((policy) => {
      const existing = customRoleToChange(policy, scope, identifier, 'update');
      const validation = validateRoleUpdate(existing.value, roleInput(body), identifier);
      if (!validation.ok) throw new InvalidRequestError('Invalid role', validation.errors);
      const meta = nextMeta(existing.meta, now());
      const operations: ChangeOperation[] = [
        {
          kind: 'replace',
          item: customRoleItem(auth.accountId, validation.value, meta),
          expectedVersion: existing.meta.version,
        },
      ];
      return { operations, result: roleResponse(validation.value, meta) };
    }),
});

/**
 * Deletes a custom role and, first, every assignment of it at its scope (with their uniqueness
 * guards). The plan is idempotent, so a cascade larger than one transaction is finished by re-planning.
 */
const deleteRole = endpoint({
  method: 'DELETE',
  path: ROLE,
  summary: 'Delete a custom role and its role assignments',
  tag: ROLE_TAG,
  needs: { permission: 'core_role_delete', resourceType: 'ROLE', on: 'path' },
  notFound: notFoundMessage,
  handle: ({ scope, identifier, write }) =>
    write((policy) => {
      const existing = customRoleToChange(policy, scope, identifier, 'delete');
      const operations: ChangeOperation[] = [
        ...assignmentsUsing(policy.items, scope, 'roleIdentifier', identifier).flatMap((assignment) =>
          removalOperations(policy.items, assignment),
        ),
        customRoleDeletion(scope, identifier),
      ];
      return { operations, result: roleResponse(existing.value, existing.meta) };
    }),
});

/**
 * The roles endpoints (reference §5.3, §8.2): `POST/GET /authz/api/roles` and
 * `GET/PUT/DELETE /authz/api/roles/{identifier}`, scoped by the query parameters. Creating needs
 * type-level `core_role_edit` at the scope; listing type-level `core_role_view`; reading, updating and
 * deleting `core_role_view` / `core_role_edit` / `core_role_delete` on `ROLE/<identifier>`. The list
 * holds the custom roles of exactly that scope and the non-internal managed roles allowed at its
 * level, managed first, then most recently modified. Managed roles can be read but not changed (400).
 */
export function roleRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [createRole, listRoles, getRole, updateRole, deleteRole]);
}
