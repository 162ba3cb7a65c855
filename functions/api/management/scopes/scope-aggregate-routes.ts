import { organizationScope, projectScope } from '../../../core/scope.js';
import { findStoredScope } from '../../../store/readers/scope-readers.js';
import { authenticateRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { pagingFromQuery } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { scopePeople } from './scope-aggregates.js';
import { listScopes, requireAddressableIdentifier, requireScopeFor } from './scope-operations.js';
import { organizationResponse, projectResponse } from './scope-responses.js';

/** The collection paths of Harness's scope aggregates (the UI's project selector and details pages). */
export const PROJECT_AGGREGATES_PATH = '/ng/api/aggregate/projects';
/** See {@link PROJECT_AGGREGATES_PATH}. */
export const ORGANIZATION_AGGREGATES_PATH = '/ng/api/aggregate/organizations';

function pathIdentifier(request: ApiRequest): string {
  return requireAddressableIdentifier('identifier', request.pathParameters.identifier ?? '');
}

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
  const authenticate = (request: ApiRequest) => authenticateRequest(request, context.cache, context.now());
  const projectAggregate = (
    auth: Awaited<ReturnType<typeof authenticate>>,
    project: Parameters<typeof projectResponse>[0],
  ) => {
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
  };
  const organizationAggregate = (
    auth: Awaited<ReturnType<typeof authenticate>>,
    organization: Parameters<typeof organizationResponse>[0],
  ) => ({
    organizationResponse: organizationResponse(organization),
    projectsCount: listScopes(auth, 'project', { parent: organization.scope }).length,
    ...scopePeople(auth, organization.scope),
  });
  return [
    {
      method: 'GET',
      path: PROJECT_AGGREGATES_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const orgIdentifier = request.query.orgIdentifier;
        const parent = orgIdentifier
          ? requireExistingScope(
              auth.policy,
              organizationScope(auth.accountId, requireAddressableIdentifier('orgIdentifier', orgIdentifier)),
            )
          : undefined;
        const found = listScopes(auth, 'project', { parent, searchTerm: request.query.searchTerm });
        const page = pageOf(found, pageIndex, pageSize);
        return {
          data: { ...page, content: page.content.map((project) => projectAggregate(auth, project)) },
        };
      },
    },
    {
      method: 'GET',
      path: `${PROJECT_AGGREGATES_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const orgIdentifier = requireAddressableIdentifier(
          'orgIdentifier',
          request.query.orgIdentifier ?? '',
        );
        const scope = projectScope(auth.accountId, orgIdentifier, pathIdentifier(request));
        const project = requireScopeFor(auth, scope, 'view');
        return { data: projectAggregate(auth, project) };
      },
    },
    {
      method: 'GET',
      path: ORGANIZATION_AGGREGATES_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const found = listScopes(auth, 'organization', { searchTerm: request.query.searchTerm });
        const page = pageOf(found, pageIndex, pageSize);
        return {
          data: {
            ...page,
            content: page.content.map((organization) => organizationAggregate(auth, organization)),
          },
        };
      },
    },
    {
      method: 'GET',
      path: `${ORGANIZATION_AGGREGATES_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const scope = organizationScope(auth.accountId, pathIdentifier(request));
        const organization = requireScopeFor(auth, scope, 'view');
        return { data: organizationAggregate(auth, organization) };
      },
    },
  ];
}
