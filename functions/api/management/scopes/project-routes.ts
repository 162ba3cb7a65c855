import { organizationScope, projectScope } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { authenticateRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { InvalidRequestError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import { queryList } from '../../http/query-lists.js';
import type { ApiRequest, Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import {
  createScope,
  deleteScope,
  listScopes,
  requireAddressableIdentifier,
  requireScopeFor,
  updateScope,
} from './scope-operations.js';
import { scopeDetailsOf } from './scope-plans.js';
import { projectResponse } from './scope-responses.js';
import { type ProjectInput, projectBodySchema } from './scope-schemas.js';

/** The collection path of the project endpoints. */
export const PROJECTS_PATH = '/ng/api/projects';

/** The `orgIdentifier` query parameter; 400 naming it when missing or malformed. */
function queryOrgIdentifier(request: ApiRequest): string {
  const orgIdentifier = request.query.orgIdentifier;
  if (!orgIdentifier) {
    throw new InvalidRequestError('orgIdentifier is required', [
      fieldError('orgIdentifier', 'must be given as a query parameter'),
    ]);
  }
  return requireAddressableIdentifier('orgIdentifier', orgIdentifier);
}

/** The project addressed by `orgIdentifier` and the `{identifier}` path parameter. */
function pathProject(request: ApiRequest, accountId: string) {
  const orgIdentifier = queryOrgIdentifier(request);
  const identifier = requireAddressableIdentifier('identifier', request.pathParameters.identifier ?? '');
  return projectScope(accountId, orgIdentifier, identifier);
}

/** 400 naming `project.orgIdentifier` unless the body's organization is the query's. */
function requireSameOrganization(project: ProjectInput, orgIdentifier: string): void {
  if (project.orgIdentifier !== orgIdentifier) {
    throw new InvalidRequestError('The orgIdentifier in the body differs from the query parameter', [
      fieldError('project.orgIdentifier', `must equal the orgIdentifier query parameter ${orgIdentifier}`),
    ]);
  }
}

/**
 * The project endpoints (DESIGN §6.2): `POST/GET /ng/api/projects` and
 * `GET/PUT/DELETE /ng/api/projects/{identifier}`, with `orgIdentifier` as a query parameter (required
 * except for the list, where it narrows the projects to one organization), body
 * `{"project":{orgIdentifier,identifier,name,description?,tags?}}`. Guarded by `core_project_create`
 * (type-level at the organization) and `core_project_view`/`_edit`/`_delete` on the PROJECT entity;
 * `data` is a `ProjectResponse` (a page of them for the list, `true` for DELETE).
 */
export function projectRoutes(context: ManagementContext): Route[] {
  const authenticate = (request: ApiRequest) => authenticateRequest(request, context.cache, context.now());
  return [
    {
      method: 'POST',
      path: PROJECTS_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const orgIdentifier = queryOrgIdentifier(request);
        const { project } = parseInput(projectBodySchema, request.body);
        requireSameOrganization(project, orgIdentifier);
        const scope = projectScope(auth.accountId, orgIdentifier, project.identifier);
        const stored = await createScope(context, auth, scope, scopeDetailsOf(project));
        return { data: projectResponse(stored) };
      },
    },
    {
      method: 'GET',
      path: PROJECTS_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const parent = request.query.orgIdentifier
          ? requireExistingScope(auth.policy, organizationScope(auth.accountId, queryOrgIdentifier(request)))
          : undefined;
        const found = listScopes(auth, 'project', { parent, searchTerm: request.query.searchTerm });
        return { data: pageOf(found.map(projectResponse), pageIndex, pageSize) };
      },
    },
    {
      method: 'GET',
      path: `${PROJECTS_PATH}/list`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const orgs = new Set(queryList(request.query, 'orgIdentifiers'));
        const identifiers = new Set(queryList(request.query, 'identifiers'));
        const moduleType = request.query.moduleType;
        const hasModule = request.query.hasModule !== 'false';
        const found = listScopes(auth, 'project', { searchTerm: request.query.searchTerm }).filter(
          ({ scope, details }) =>
            (orgs.size === 0 || orgs.has(scope.orgIdentifier)) &&
            (identifiers.size === 0 || identifiers.has(scope.projectIdentifier)) &&
            (!moduleType || (details.modules ?? []).includes(moduleType) === hasModule) &&
            request.query.onlyFavorites !== 'true',
        );
        return { data: pageOf(found.map(projectResponse), pageIndex, pageSize) };
      },
    },
    {
      method: 'GET',
      path: `${PROJECTS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const stored = requireScopeFor(auth, pathProject(request, auth.accountId), 'view');
        return { data: projectResponse(stored) };
      },
    },
    {
      method: 'PUT',
      path: `${PROJECTS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const scope = pathProject(request, auth.accountId);
        const { project } = parseInput(projectBodySchema, request.body);
        requireSameOrganization(project, scope.orgIdentifier);
        if (project.identifier !== scope.projectIdentifier) {
          throw new InvalidRequestError('The identifier in the body differs from the one in the path', [
            fieldError('project.identifier', `must equal the path identifier ${scope.projectIdentifier}`),
          ]);
        }
        const stored = await updateScope(context, auth, scope, scopeDetailsOf(project));
        return { data: projectResponse(stored) };
      },
    },
    {
      method: 'DELETE',
      path: `${PROJECTS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        await deleteScope(context, auth, pathProject(request, auth.accountId));
        return { data: true };
      },
    },
  ];
}
