import { type AccessCheck, checkOf } from '../../../core/access-check.js';
import { findManagedResourceGroup, MANAGED_RESOURCE_GROUPS } from '../../../core/managed-resource-groups.js';
import type { CustomResourceGroup, ResourceGroup } from '../../../core/resource-group.js';
import { type Scope, scopePath, scopeToParams } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import {
  type CustomResourceGroupInput,
  validateCustomResourceGroup,
  validateResourceGroupUpdate,
} from '../../../core/validation/resource-group-validation.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import {
  customResourceGroupDeletion,
  customResourceGroupItem,
  hasCustomResourceGroup,
} from '../../../store/entities/resource-groups.js';
import type { ItemMeta, Versioned } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { customResourceGroupAt, customResourceGroupsAt } from '../../../store/readers/access-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { newMeta, nextMeta } from '../principals/principal-request.js';
import { matchesSearchTerm } from './access-request.js';
import { type ResourceGroupResponse, resourceGroupResponse } from './access-responses.js';
import { type ResourceGroupBody, resourceGroupRequestSchema } from './access-schemas.js';
import { assignmentsUsing, removalOperations } from './role-assignment-plan.js';

const GROUPS = '/resourcegroup/api/v2/resourcegroup';
const GROUP = `${GROUPS}/{identifier}`;

function groupCheck(permission: string, scope: Scope, identifier?: string): AccessCheck {
  return checkOf(permission, 'RESOURCEGROUP', scope, identifier);
}

function notFoundMessage(identifier: string, scope: Scope): string {
  return `Resource group ${identifier} not found in ${scopePath(scope)}`;
}

/** The group `identifier` as seen at `scope`: custom there, else managed and allowed at its level; 404 otherwise. */
function findGroup(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): { group: ResourceGroup; meta: ItemMeta | undefined } {
  const custom = customResourceGroupAt(policy.items, scope, identifier);
  if (custom) return { group: custom.value, meta: custom.meta };
  const managed = findManagedResourceGroup(identifier);
  if (managed?.allowedScopeLevels.includes(scope.level)) return { group: managed, meta: undefined };
  throw new NotFoundError(notFoundMessage(identifier, scope));
}

/** The custom group to change; 400 for a managed group (never editable), 404 when absent. */
function customGroupToChange(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
  action: 'update' | 'delete',
): Versioned<CustomResourceGroup> {
  const custom = customResourceGroupAt(policy.items, scope, identifier);
  if (custom) return custom;
  if (findManagedResourceGroup(identifier)) {
    throw new InvalidRequestError(`Cannot ${action} a managed resource group`, [
      fieldError('identifier', `${identifier} is a managed resource group and cannot be changed`),
    ]);
  }
  throw new NotFoundError(notFoundMessage(identifier, scope));
}

/**
 * The body's group, after checking that its scope fields name the request's scope (400 naming
 * `resourceGroup.accountIdentifier`, `.orgIdentifier` or `.projectIdentifier` otherwise).
 */
function groupInput(body: ResourceGroupBody, scope: Scope): CustomResourceGroupInput {
  const expected = scopeToParams(scope);
  const errors: FieldError[] = [];
  for (const name of ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const) {
    if ((body[name] || undefined) !== (expected[name] || undefined)) {
      errors.push(fieldError(`resourceGroup.${name}`, 'must match the scope of the request'));
    }
  }
  if (errors.length > 0) throw new InvalidRequestError('Invalid scope of resource group', errors);
  const { accountIdentifier: _a, orgIdentifier: _o, projectIdentifier: _p, ...group } = body;
  return group;
}

function invalidGroup(errors: readonly FieldError[]): InvalidRequestError {
  return new InvalidRequestError('Invalid resource group', errors);
}

function byManagedThenRecent(a: ResourceGroupResponse, b: ResourceGroupResponse): number {
  if (a.harnessManaged !== b.harnessManaged) return a.harnessManaged ? -1 : 1;
  return (
    (b.lastModifiedAt ?? 0) - (a.lastModifiedAt ?? 0) ||
    String(a.resourceGroup.identifier).localeCompare(String(b.resourceGroup.identifier))
  );
}

const TAG = 'Resource groups';

const createGroup = endpoint({
  method: 'POST',
  path: GROUPS,
  summary: 'Create a custom resource group',
  tag: TAG,
  body: resourceGroupRequestSchema,
  needs: { permission: 'core_resourcegroup_edit', resourceType: 'RESOURCEGROUP' },
  handle: ({ auth, scope, body, now, write }) => {
    const input = groupInput(body.resourceGroup, scope);
    return write((policy) => {
      const validation = validateCustomResourceGroup(input, scope);
      if (!validation.ok) throw invalidGroup(validation.errors);
      const group = validation.value;
      if (hasCustomResourceGroup(policy.items, scope, group.identifier)) {
        throw new ConflictError(
          `A resource group with identifier ${group.identifier} already exists at the specified scope`,
        );
      }
      const meta = newMeta(now());
      const operations: ChangeOperation[] = [
        { kind: 'create', item: customResourceGroupItem(auth.accountId, group, meta) },
      ];
      return { operations, result: resourceGroupResponse(group, meta, scope) };
    });
  },
});

/**
 * Lists the custom groups of exactly the scope and the managed groups allowed at its level. Without
 * type-level `core_resourcegroup_view` the list is filtered to the groups the caller may view one by one.
 */
const listGroups = endpoint({
  method: 'GET',
  path: GROUPS,
  summary: 'List managed and custom resource groups visible at the scope',
  tag: TAG,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, page }) =>
    page(visibleGroups(auth, scope, request.query.searchTerm)),
});

/**
 * The custom groups of exactly `scope` and the managed groups allowed at its level that the caller may
 * view, matching `searchTerm`, managed first then the most recent.
 */
export function visibleGroups(
  auth: AuthenticatedRequest,
  scope: Scope,
  searchTerm: string | undefined,
): ResourceGroupResponse[] {
  const { evaluator } = auth.policy;
  const viewAll = evaluator.check(auth.caller, groupCheck('core_resourcegroup_view', scope)).permitted;
  const visible = (identifier: string) =>
    viewAll ||
    evaluator.check(auth.caller, groupCheck('core_resourcegroup_view', scope, identifier)).permitted;
  return [
    ...customResourceGroupsAt(auth.policy.items, scope).map(({ value, meta }) =>
      resourceGroupResponse(value, meta, scope),
    ),
    ...MANAGED_RESOURCE_GROUPS.filter((group) => group.allowedScopeLevels.includes(scope.level)).map(
      (group) => resourceGroupResponse(group, undefined, scope),
    ),
  ]
    .filter((response) => {
      const { identifier, name } = response.resourceGroup as { identifier: string; name: string };
      return visible(identifier) && matchesSearchTerm({ query: { searchTerm } }, { identifier, name });
    })
    .sort(byManagedThenRecent);
}

const getGroup = endpoint({
  method: 'GET',
  path: GROUP,
  summary: 'Get a resource group',
  tag: TAG,
  needs: { permission: 'core_resourcegroup_view', resourceType: 'RESOURCEGROUP', on: 'path' },
  notFound: notFoundMessage,
  handle: async ({ auth, scope, identifier }) => {
    const { group, meta } = findGroup(auth.policy, scope, identifier);
    return resourceGroupResponse(group, meta, scope);
  },
});

const updateGroup = endpoint({
  method: 'PUT',
  path: GROUP,
  summary: 'Update a custom resource group',
  tag: TAG,
  body: resourceGroupRequestSchema,
  needs: { permission: 'core_resourcegroup_edit', resourceType: 'RESOURCEGROUP', on: 'path' },
  notFound: notFoundMessage,
  handle: ({ auth, scope, identifier, body, now, write }) => {
    const input = groupInput(body.resourceGroup, scope);
    return write((policy) => {
      const existing = customGroupToChange(policy, scope, identifier, 'update');
      const validation = validateResourceGroupUpdate(existing.value, input, identifier);
      if (!validation.ok) throw invalidGroup(validation.errors);
      const meta = nextMeta(existing.meta, now());
      const operations: ChangeOperation[] = [
        {
          kind: 'replace',
          item: customResourceGroupItem(auth.accountId, validation.value, meta),
          expectedVersion: existing.meta.version,
        },
      ];
      return { operations, result: resourceGroupResponse(validation.value, meta, scope) };
    });
  },
});

/** Deletes a custom group and, first, every assignment using it at its scope; answers `true`. */
const deleteGroup = endpoint({
  method: 'DELETE',
  path: GROUP,
  summary: 'Delete a custom resource group and its role assignments',
  tag: TAG,
  needs: { permission: 'core_resourcegroup_delete', resourceType: 'RESOURCEGROUP', on: 'path' },
  notFound: notFoundMessage,
  handle: ({ scope, identifier, write }) =>
    write((policy) => {
      customGroupToChange(policy, scope, identifier, 'delete');
      const operations: ChangeOperation[] = [
        ...assignmentsUsing(policy.items, scope, 'resourceGroupIdentifier', identifier).flatMap(
          (assignment) => removalOperations(policy.items, assignment),
        ),
        customResourceGroupDeletion(scope, identifier),
      ];
      return { operations, result: true };
    }),
});

/**
 * The resource-group endpoints (reference §5.4, §8.3): `POST/GET /resourcegroup/api/v2/resourcegroup`
 * and `GET/PUT/DELETE /resourcegroup/api/v2/resourcegroup/{identifier}`, scoped by the query
 * parameters; bodies are `{"resourceGroup": ResourceGroupV2}` whose scope fields must equal the
 * query's. Creating needs type-level `core_resourcegroup_edit`; reading, updating and deleting
 * `core_resourcegroup_view` / `_edit` / `_delete` on `RESOURCEGROUP/<identifier>`. Managed groups are
 * listed and readable at the levels they allow, never changed (400). Deleting a group deletes the
 * assignments using it at its scope.
 */
export function resourceGroupRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [createGroup, listGroups, getGroup, updateGroup, deleteGroup]);
}
