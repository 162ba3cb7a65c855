import { organizationScope } from '../../../core/scope.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { requireSameIdentifier } from '../same-identifier.js';
import {
  listScopes,
  onScopeEntity,
  requireDeletable,
  requireStoredScope,
  scopeCreation,
  scopeDeletion,
  scopeUpdate,
} from './scope-operations.js';
import { scopeDetailsOf } from './scope-plans.js';
import { organizationResponse } from './scope-responses.js';
import { organizationBodySchema, searchTermQuerySchema } from './scope-schemas.js';

/** The collection path of the organization endpoints. */
export const ORGANIZATIONS_PATH = '/ng/api/organizations';
const ORGANIZATION = `${ORGANIZATIONS_PATH}/{identifier}`;
const TAG = 'Organizations';

const createOrganization = endpoint({
  method: 'POST',
  path: ORGANIZATIONS_PATH,
  summary: 'Create an organization',
  tag: TAG,
  body: organizationBodySchema,
  scopeFrom: 'account',
  needs: { permission: 'core_organization_create', resourceType: 'ORGANIZATION' },
  handle: async ({ auth, body: { organization }, now, write }) => {
    const scope = organizationScope(auth.accountId, organization.identifier);
    const stored = await write((policy, caller) =>
      scopeCreation(policy, caller, scope, scopeDetailsOf(organization), now()),
    );
    return organizationResponse(stored);
  },
});

const listOrganizations = endpoint({
  method: 'GET',
  path: ORGANIZATIONS_PATH,
  summary: 'List the organizations the caller may view (core_organization_view on each)',
  tag: TAG,
  paged: true,
  query: searchTermQuerySchema,
  scopeFrom: 'account',
  needs: 'per-resource',
  handle: async ({ auth, query, page }) =>
    page(listScopes(auth, 'organization', { searchTerm: query.searchTerm }).map(organizationResponse)),
});

const getOrganization = endpoint({
  method: 'GET',
  path: ORGANIZATION,
  summary: 'Get an organization',
  tag: TAG,
  scopeFrom: 'organization-path',
  needs: onScopeEntity('view'),
  handle: async ({ auth, scope }) => organizationResponse(requireStoredScope(auth.policy, scope)),
});

const updateOrganization = endpoint({
  method: 'PUT',
  path: ORGANIZATION,
  summary: 'Update an organization',
  tag: TAG,
  body: organizationBodySchema,
  scopeFrom: 'organization-path',
  needs: onScopeEntity('edit'),
  handle: async ({ scope, body: { organization }, now, write }) => {
    requireSameIdentifier(organization.identifier, scope.orgIdentifier, 'organization.identifier');
    const stored = await write((policy) => scopeUpdate(policy, scope, scopeDetailsOf(organization), now()));
    return organizationResponse(stored);
  },
});

const deleteOrganization = endpoint({
  method: 'DELETE',
  path: ORGANIZATION,
  summary: 'Delete an organization and everything in it',
  tag: TAG,
  scopeFrom: 'organization-path',
  needs: onScopeEntity('delete'),
  handle: ({ scope, write }) => {
    requireDeletable(scope);
    return write((policy) => scopeDeletion(policy, scope));
  },
});

/**
 * The organization endpoints (DESIGN §6.2): `POST/GET /ng/api/organizations` and
 * `GET/PUT/DELETE /ng/api/organizations/{identifier}`, body `{"organization":{identifier,name,description?,tags?}}`.
 * Guarded by `core_organization_create` (type-level at the account) and `core_organization_view`/`_edit`/`_delete`
 * on the ORGANIZATION entity; `data` is an `OrganizationResponse` (a page of them for the list, `true` for DELETE).
 */
export function organizationRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    createOrganization,
    listOrganizations,
    getOrganization,
    updateOrganization,
    deleteOrganization,
  ]);
}
