import type { OrganizationScope, ProjectScope } from '../../../core/scope.js';
import { organizationScope } from '../../../core/scope.js';
import type { StoredScope } from '../../../store/entities/scopes.js';
import { findStoredScope } from '../../../store/readers/scope-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { scopePeople } from './scope-aggregates.js';
import { listScopes, onScopeEntity, requireStoredScope } from './scope-operations.js';
import { organizationResponse, projectResponse } from './scope-responses.js';
import { searchTermQuerySchema } from './scope-schemas.js';

/** The collection paths of Harness's scope aggregates (the UI's project selector and details pages). */
export const PROJECT_AGGREGATES_PATH = '/ng/api/aggregate/projects';
/** See {@link PROJECT_AGGREGATES_PATH}. */
export const ORGANIZATION_AGGREGATES_PATH = '/ng/api/aggregate/organizations';

/** A `ProjectAggregateDTO`: the project, its organization, admins and collaborators. */
function projectAggregate(auth: AuthenticatedRequest, project: StoredScope<ProjectScope>) {
  const organization = findStoredScope(
    auth.policy.items,
    organizationScope(auth.accountId, project.scope.orgIdentifier),
  );
  const organizationDto = organization ? organizationResponse(organization) : undefined;
  return {
    projectResponse: projectResponse(project),
    ...(organizationDto ? { organization: organizationDto.organization } : {}),
    harnessManagedOrg: organizationDto?.harnessManaged ?? false,
    ...scopePeople(auth, project.scope),
  };
}

/** An `OrganizationAggregateDTO`: the organization, the count of its projects the caller may view, admins and collaborators. */
function organizationAggregate(auth: AuthenticatedRequest, organization: StoredScope<OrganizationScope>) {
  return {
    organizationResponse: organizationResponse(organization),
    projectsCount: listScopes(auth, 'project', { parent: organization.scope }).length,
    ...scopePeople(auth, organization.scope),
  };
}

const listProjectAggregates = endpoint({
  method: 'GET',
  path: PROJECT_AGGREGATES_PATH,
  summary:
    'ProjectAggregateDTOs of the projects the caller may view (orgIdentifier narrows, searchTerm): the project, its organization, admins and collaborators',
  tag: 'Projects',
  paged: true,
  query: searchTermQuerySchema,
  scopeFrom: 'organization-query-or-account',
  needs: 'per-resource',
  handle: async ({ auth, scope, query, page }) => {
    const parent = scope.level === 'account' ? undefined : scope;
    const found = page(listScopes(auth, 'project', { parent, searchTerm: query.searchTerm }));
    return { ...found, content: found.content.map((project) => projectAggregate(auth, project)) };
  },
});

const getProjectAggregate = endpoint({
  method: 'GET',
  path: `${PROJECT_AGGREGATES_PATH}/{identifier}`,
  summary: 'One ProjectAggregateDTO (orgIdentifier required; core_project_view)',
  tag: 'Projects',
  scopeFrom: 'project-path',
  needs: onScopeEntity('view'),
  handle: async ({ auth, scope }) => projectAggregate(auth, requireStoredScope(auth.policy, scope)),
});

const listOrganizationAggregates = endpoint({
  method: 'GET',
  path: ORGANIZATION_AGGREGATES_PATH,
  summary:
    'OrganizationAggregateDTOs of the organizations the caller may view (searchTerm): the organization, its projects count, admins and collaborators',
  tag: 'Organizations',
  paged: true,
  query: searchTermQuerySchema,
  scopeFrom: 'account',
  needs: 'per-resource',
  handle: async ({ auth, query, page }) => {
    const found = page(listScopes(auth, 'organization', { searchTerm: query.searchTerm }));
    return {
      ...found,
      content: found.content.map((organization) => organizationAggregate(auth, organization)),
    };
  },
});

const getOrganizationAggregate = endpoint({
  method: 'GET',
  path: `${ORGANIZATION_AGGREGATES_PATH}/{identifier}`,
  summary: 'One OrganizationAggregateDTO (core_organization_view)',
  tag: 'Organizations',
  scopeFrom: 'organization-path',
  needs: onScopeEntity('view'),
  handle: async ({ auth, scope }) => organizationAggregate(auth, requireStoredScope(auth.policy, scope)),
});

/**
 * Harness's scope aggregates: `GET /ng/api/aggregate/projects` (optional `orgIdentifier`,
 * `searchTerm`, paging) and `…/{identifier}` (`orgIdentifier` required) answer `ProjectAggregateDTO`s
 * `{projectResponse, organization, harnessManagedOrg, admins, collaborators}`;
 * `GET /ng/api/aggregate/organizations` (`searchTerm`, paging) and `…/{identifier}` answer
 * `OrganizationAggregateDTO`s `{organizationResponse, projectsCount, admins, collaborators}`.
 * Scopes are listed as their plain lists list them (only those the caller may view); `projectsCount`
 * counts the projects the caller may view.
 */
export function scopeAggregateRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    listProjectAggregates,
    getProjectAggregate,
    listOrganizationAggregates,
    getOrganizationAggregate,
  ]);
}
