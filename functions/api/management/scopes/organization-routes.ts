import { organizationScope } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { authenticateRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { InvalidRequestError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import {
  createScope,
  deleteScope,
  listScopes,
  requireAddressableIdentifier,
  requireScopeFor,
  updateScope,
} from './scope-operations.js';
import { scopeDetailsOf } from './scope-plans.js';
import { organizationResponse } from './scope-responses.js';
import { organizationBodySchema } from './scope-schemas.js';

/** The collection path of the organization endpoints. */
export const ORGANIZATIONS_PATH = '/ng/api/organizations';

/** The organization addressed by the `{identifier}` path parameter, in the request's account. */
function pathOrganization(request: ApiRequest, accountId: string) {
  const identifier = requireAddressableIdentifier('identifier', request.pathParameters.identifier ?? '');
  return organizationScope(accountId, identifier);
}

/**
 * The organization endpoints (DESIGN §6.2): `POST/GET /ng/api/organizations` and
 * `GET/PUT/DELETE /ng/api/organizations/{identifier}`, body `{"organization":{identifier,name,description?,tags?}}`.
 * Guarded by `core_organization_create` (type-level at the account) and `core_organization_view`/`_edit`/`_delete`
 * on the ORGANIZATION entity; `data` is an `OrganizationResponse` (a page of them for the list, `true` for DELETE).
 */
export function organizationRoutes(context: ManagementContext): Route[] {
  const authenticate = (request: ApiRequest) => authenticateRequest(request, context.cache, context.now());
  return [
    {
      method: 'POST',
      path: ORGANIZATIONS_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { organization } = parseInput(organizationBodySchema, request.body);
        const scope = organizationScope(auth.accountId, organization.identifier);
        const stored = await createScope(context, auth, scope, scopeDetailsOf(organization));
        return { data: organizationResponse(stored) };
      },
    },
    {
      method: 'GET',
      path: ORGANIZATIONS_PATH,
      handler: async (request) => {
        const auth = await authenticate(request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const found = listScopes(auth, 'organization', { searchTerm: request.query.searchTerm });
        return { data: pageOf(found.map(organizationResponse), pageIndex, pageSize) };
      },
    },
    {
      method: 'GET',
      path: `${ORGANIZATIONS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const stored = requireScopeFor(auth, pathOrganization(request, auth.accountId), 'view');
        return { data: organizationResponse(stored) };
      },
    },
    {
      method: 'PUT',
      path: `${ORGANIZATIONS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        const scope = pathOrganization(request, auth.accountId);
        const { organization } = parseInput(organizationBodySchema, request.body);
        if (organization.identifier !== scope.orgIdentifier) {
          throw new InvalidRequestError('The identifier in the body differs from the one in the path', [
            fieldError('organization.identifier', `must equal the path identifier ${scope.orgIdentifier}`),
          ]);
        }
        const stored = await updateScope(context, auth, scope, scopeDetailsOf(organization));
        return { data: organizationResponse(stored) };
      },
    },
    {
      method: 'DELETE',
      path: `${ORGANIZATIONS_PATH}/{identifier}`,
      handler: async (request) => {
        const auth = await authenticate(request);
        await deleteScope(context, auth, pathOrganization(request, auth.accountId));
        return { data: true };
      },
    },
  ];
}
