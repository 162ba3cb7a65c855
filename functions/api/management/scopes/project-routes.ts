import * as z from 'zod';
import { projectScope } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { InvalidRequestError } from '../../http/errors.js';
import { queryList } from '../../http/query-lists.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { requireSameIdentifier } from '../same-identifier.js';
import {
  listScopes,
  onScopeEntity,
  requireStoredScope,
  scopeCreation,
  scopeDeletion,
  scopeUpdate,
} from './scope-operations.js';
import { scopeDetailsOf } from './scope-plans.js';
import { projectResponse } from './scope-responses.js';
import { type ProjectInput, projectBodySchema, searchTermQuerySchema } from './scope-schemas.js';

/** The collection path of the project endpoints. */
export const PROJECTS_PATH = '/ng/api/projects';
const PROJECT = `${PROJECTS_PATH}/{identifier}`;
const TAG = 'Projects';

/** The query of `GET /ng/api/projects/list` (Harness `getProjectListWithMultiOrgFilter`); lists may be repeated or comma-separated. */
export const projectListQuerySchema = searchTermQuerySchema.extend({
  orgIdentifiers: z.string().optional(),
  identifiers: z.string().optional(),
  moduleType: z.string().optional(),
  hasModule: z.string().optional(),
  onlyFavorites: z.string().optional(),
});

/** 400 naming `project.orgIdentifier` unless the body's organization is the query's. */
function requireSameOrganization(project: ProjectInput, orgIdentifier: string): void {
  if (project.orgIdentifier !== orgIdentifier) {
    throw new InvalidRequestError('The orgIdentifier in the body differs from the query parameter', [
      fieldError('project.orgIdentifier', `must equal the orgIdentifier query parameter ${orgIdentifier}`),
    ]);
  }
}

const createProject = endpoint({
  method: 'POST',
  path: PROJECTS_PATH,
  summary: 'Create a project in the organization orgIdentifier names',
  tag: TAG,
  body: projectBodySchema,
  scopeFrom: 'organization-query',
  needs: { permission: 'core_project_create', resourceType: 'PROJECT' },
  handle: async ({ scope: organization, body: { project }, now, write }) => {
    requireSameOrganization(project, organization.orgIdentifier);
    const scope = projectScope(
      organization.accountIdentifier,
      organization.orgIdentifier,
      project.identifier,
    );
    const stored = await write((policy, caller) =>
      scopeCreation(policy, caller, scope, scopeDetailsOf(project), now()),
    );
    return projectResponse(stored);
  },
});

const listProjects = endpoint({
  method: 'GET',
  path: PROJECTS_PATH,
  summary: 'List the projects the caller may view (orgIdentifier narrows to one organization)',
  tag: TAG,
  paged: true,
  query: searchTermQuerySchema,
  scopeFrom: 'organization-query-or-account',
  needs: 'per-resource',
  handle: async ({ auth, scope, query, page }) => {
    const parent = scope.level === 'account' ? undefined : scope;
    return page(listScopes(auth, 'project', { parent, searchTerm: query.searchTerm }).map(projectResponse));
  },
});

const listProjectsOfOrganizations = endpoint({
  method: 'GET',
  path: `${PROJECTS_PATH}/list`,
  summary: 'List projects of several organizations (orgIdentifiers, identifiers, moduleType, hasModule)',
  tag: TAG,
  paged: true,
  query: projectListQuerySchema,
  scopeFrom: 'account',
  needs: 'per-resource',
  handle: async ({ request, auth, query, page }) => {
    const orgs = new Set(queryList(request.query, 'orgIdentifiers'));
    const identifiers = new Set(queryList(request.query, 'identifiers'));
    const { moduleType } = query;
    const hasModule = query.hasModule !== 'false';
    const found = listScopes(auth, 'project', { searchTerm: query.searchTerm }).filter(
      ({ scope, details }) =>
        (orgs.size === 0 || orgs.has(scope.orgIdentifier)) &&
        (identifiers.size === 0 || identifiers.has(scope.projectIdentifier)) &&
        (!moduleType || (details.modules ?? []).includes(moduleType) === hasModule) &&
        query.onlyFavorites !== 'true',
    );
    return page(found.map(projectResponse));
  },
});

const getProject = endpoint({
  method: 'GET',
  path: PROJECT,
  summary: 'Get a project',
  tag: TAG,
  scopeFrom: 'project-path',
  needs: onScopeEntity('view'),
  handle: async ({ auth, scope }) => projectResponse(requireStoredScope(auth.policy, scope)),
});

const updateProject = endpoint({
  method: 'PUT',
  path: PROJECT,
  summary: 'Update a project',
  tag: TAG,
  body: projectBodySchema,
  scopeFrom: 'project-path',
  needs: onScopeEntity('edit'),
  handle: async ({ scope, body: { project }, now, write }) => {
    requireSameOrganization(project, scope.orgIdentifier);
    requireSameIdentifier(project.identifier, scope.projectIdentifier, 'project.identifier');
    const stored = await write((policy) => scopeUpdate(policy, scope, scopeDetailsOf(project), now()));
    return projectResponse(stored);
  },
});

const deleteProject = endpoint({
  method: 'DELETE',
  path: PROJECT,
  summary: 'Delete a project and everything in it',
  tag: TAG,
  scopeFrom: 'project-path',
  needs: onScopeEntity('delete'),
  handle: ({ scope, write }) => write((policy) => scopeDeletion(policy, scope)),
});

/**
 * The project endpoints (DESIGN §6.2): `POST/GET /ng/api/projects`, `GET /ng/api/projects/list` and
 * `GET/PUT/DELETE /ng/api/projects/{identifier}`, with `orgIdentifier` as a query parameter (required
 * except for the lists, where it narrows the projects to one organization), body
 * `{"project":{orgIdentifier,identifier,name,description?,tags?,color?,modules?}}`. Guarded by
 * `core_project_create` (type-level at the organization) and `core_project_view`/`_edit`/`_delete`
 * on the PROJECT entity; `data` is a `ProjectResponse` (a page of them for the lists, `true` for DELETE).
 */
export function projectRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    createProject,
    listProjects,
    listProjectsOfOrganizations,
    getProject,
    updateProject,
    deleteProject,
  ]);
}
