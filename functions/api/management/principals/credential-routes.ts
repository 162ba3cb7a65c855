import * as z from 'zod';
import { type Scope, scopeFromParams } from '../../../core/scope.js';
import { parseToken, tokenExpiry } from '../../../core/token.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import { authenticate } from '../../../store/credentials.js';
import { apiKeyItem, type StoredApiKey, type StoredToken, tokenItem } from '../../../store/items.js';
import { tokenSk } from '../../../store/keys.js';
import { itemMetaOf } from '../../../store/readers/principal-readers.js';
import {
  type AuthenticatedRequest,
  authenticateInAccount,
  tokenAccountOf,
} from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import { queryList } from '../../http/query-lists.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { apiKeyTypeField, identifierField, opaqueIdField } from '../entity-fields.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { requestScope } from '../request-scope.js';
import { writeAccount } from '../write-account.js';
import { apiKeyParentQuerySchema, authorizeKeyParent, requireApiKeyAt } from './api-key-owner.js';
import { apiKeyBodySchema, apiKeyDto } from './api-key-routes.js';
import {
  apiKeyAggregate,
  apiKeysAt,
  authorizeKeyParentView,
  serviceAccountAggregate,
  serviceAccountsAt,
  tokenAggregate,
  tokenDto,
  tokensAt,
} from './credential-reads.js';
import { tokensOfKey } from './principal-cascade.js';
import {
  authenticated,
  authenticatedScope,
  bodyScope,
  isAt,
  matchingSearchTerm,
  nextMeta,
  pathIdentifier,
  requireScopeAndPermission,
  viewableRecords,
} from './principal-request.js';
import { requireServiceAccountAt } from './service-account-routes.js';
import { tokenBodySchema } from './token-routes.js';

/**
 * The service-account, API-key and token endpoints Harness's clients call besides create and delete
 * (reference/harness-client-conformance.md): the aggregate reads Terraform refreshes with
 * (`/serviceaccount/aggregate/{id}`, `/apikey/aggregate/{id}`, `/token/aggregate`), the key lists, API
 * key and token updates, and token validation.
 */

const SERVICE_ACCOUNT = 'SERVICEACCOUNT';

/** The query of the API-key reads: the parent, optionally some identifiers. */
export const apiKeyListQuerySchema = apiKeyParentQuerySchema;

/** The query of `GET /ng/api/token/aggregate` (Harness `listAggregatedTokens`). */
export const tokenListQuerySchema = z.object({
  apiKeyType: apiKeyTypeField,
  parentIdentifier: opaqueIdField.optional(),
  apiKeyIdentifier: identifierField.optional(),
  includeOnlyActiveTokens: z.enum(['true', 'false']).optional(),
});

/** The body of `PUT /ng/api/token/{identifier}`: Harness's `Token` (the key's coordinates name it). */
export const tokenUpdateBodySchema = tokenBodySchema;

/** The body of `POST /ng/api/token/validate`: the raw token, as a JSON string. */
export const tokenValidateBodySchema = z.string().min(1, 'cannot be empty').max(1024);

function identifiersFilter<T extends { readonly identifier: string }>(
  request: ApiRequest,
  records: readonly T[],
): T[] {
  const wanted = queryList(request.query, 'identifiers');
  if (wanted.length === 0) return [...records];
  const set = new Set(wanted);
  return records.filter((record) => set.has(record.identifier));
}

function serviceAccountAggregateListRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/serviceaccount/aggregate',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_serviceaccount_view',
        resourceType: SERVICE_ACCOUNT,
      });
      const records = serviceAccountsAt(auth.policy, scope).map((found) => ({
        identifier: found.value.identifier,
        name: found.value.name,
        found,
      }));
      const now = context.now();
      const visible = identifiersFilter(request, matchingSearchTerm(request, records)).map(({ found }) =>
        serviceAccountAggregate(auth.policy, found.value, found.meta, now),
      );
      return { data: pageOf(visible, pageIndex, pageSize) };
    },
  };
}

function serviceAccountAggregateRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/serviceaccount/aggregate/{identifier}',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'Service account');
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_serviceaccount_view',
        resourceType: SERVICE_ACCOUNT,
        resourceIdentifier: identifier,
      });
      const found = requireServiceAccountAt(auth.policy, scope, identifier);
      return { data: serviceAccountAggregate(auth.policy, found.value, found.meta, context.now()) };
    },
  };
}

function apiKeyListRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/apikey',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { apiKeyType, parentIdentifier } = parseInput(apiKeyListQuerySchema, request.query);
      authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
      const keys = identifiersFilter(request, apiKeysAt(auth.policy, scope, apiKeyType, parentIdentifier));
      return { data: keys.map(apiKeyDto) };
    },
  };
}

function apiKeyAggregateListRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/apikey/aggregate',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { apiKeyType, parentIdentifier } = parseInput(apiKeyListQuerySchema, request.query);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
      const keys = matchingSearchTerm(
        request,
        identifiersFilter(request, apiKeysAt(auth.policy, scope, apiKeyType, parentIdentifier)),
      );
      const now = context.now();
      return {
        data: pageOf(
          keys.map((key) => apiKeyAggregate(auth.policy, key, now)),
          pageIndex,
          pageSize,
        ),
      };
    },
  };
}

function apiKeyAggregateRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/apikey/aggregate/{identifier}',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'API key');
      const { apiKeyType, parentIdentifier } = parseInput(apiKeyListQuerySchema, request.query);
      authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
      const key = requireApiKeyAt(auth.policy, scope, apiKeyType, parentIdentifier, identifier);
      return { data: apiKeyAggregate(auth.policy, key.value, context.now()) };
    },
  };
}

/**
 * Authenticates a request whose scope may be in the body alone (Harness's `updateApiKey` sends no
 * query): the account is the query's `accountIdentifier`, else the token's, else the body's.
 */
async function authenticatedForBody(
  context: ManagementContext,
  request: ApiRequest,
): Promise<AuthenticatedRequest> {
  const body = request.body as { accountIdentifier?: unknown } | undefined;
  const named = typeof body?.accountIdentifier === 'string' ? body.accountIdentifier : undefined;
  const accountId = request.query.accountIdentifier || tokenAccountOf(request) || named;
  if (!accountId) {
    throw new InvalidRequestError('accountIdentifier is required', [
      fieldError('accountIdentifier', 'must be given in the query or the body'),
    ]);
  }
  return authenticateInAccount(request, context.cache, context.now(), accountId);
}

/** The scope of a body naming it itself: with a query scope, {@link bodyScope}; without, the body's (of the caller's account). */
function scopeOfBody(
  request: ApiRequest,
  auth: AuthenticatedRequest,
  body: { accountIdentifier: string; orgIdentifier?: string | null; projectIdentifier?: string | null },
): Scope {
  if (request.query.accountIdentifier) return bodyScope(request, body);
  const errors: FieldError[] = [];
  if (body.accountIdentifier !== auth.accountId) {
    errors.push(fieldError('accountIdentifier', `must be the caller's account (${auth.accountId})`));
  }
  for (const field of ['orgIdentifier', 'projectIdentifier'] as const) {
    if (body[field]?.includes('#') || body[field]?.includes('/'))
      errors.push(fieldError(field, "must not contain '/' or '#'"));
  }
  const scope = scopeFromParams(body);
  if (!scope) errors.push(fieldError('orgIdentifier', 'required with projectIdentifier'));
  if (errors.length > 0 || !scope) throw new InvalidRequestError('Invalid scope in the body', errors);
  return scope;
}

function apiKeyUpdateRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: '/ng/api/apikey/{identifier}',
    handler: async (request) => {
      const auth = await authenticatedForBody(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'API key');
      const body = parseInput(apiKeyBodySchema, request.body);
      if (body.identifier !== identifier) {
        throw new InvalidRequestError('The identifier cannot change', [
          fieldError('identifier', `must equal the identifier in the path (${identifier})`),
        ]);
      }
      const scope = scopeOfBody(request, auth, body);
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        authorizeKeyParent(auth, policy, scope, body.apiKeyType, body.parentIdentifier);
        const current = requireApiKeyAt(policy, scope, body.apiKeyType, body.parentIdentifier, identifier);
        const { description: _description, tags: _tags, ...rest } = current.value;
        const updated: StoredApiKey = {
          ...rest,
          name: body.name,
          ...(body.description != null ? { description: body.description } : {}),
          ...(body.tags != null ? { tags: body.tags } : {}),
          ...(body.defaultTimeToExpireToken != null
            ? { defaultTimeToExpireToken: body.defaultTimeToExpireToken }
            : {}),
        };
        const item = apiKeyItem(policy.accountId, updated, nextMeta(current.meta, context.now()));
        return {
          operations: [{ kind: 'replace', item, expectedVersion: current.meta.version }],
          result: apiKeyDto(updated),
        };
      });
      return { data };
    },
  };
}

function tokenAggregateListRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/token/aggregate',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const query = parseInput(tokenListQuerySchema, request.query);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      const now = context.now();
      const parent =
        query.parentIdentifier ?? (query.apiKeyType === 'USER' ? auth.caller.identifier : undefined);
      if (parent !== undefined) authorizeKeyParentView(auth, scope, query.apiKeyType, parent);
      else
        requireScopeAndPermission(auth, auth.policy, scope, {
          permission: 'core_serviceaccount_view',
          resourceType: SERVICE_ACCOUNT,
        });
      const tokens = tokensAt(auth.policy, scope, query.apiKeyType, parent, query.apiKeyIdentifier).filter(
        (token) => query.includeOnlyActiveTokens !== 'true' || tokenExpiry(token) > now,
      );
      const visible = viewableTokens(
        auth,
        scope,
        matchingSearchTerm(request, identifiersFilter(request, tokens)),
      );
      return {
        data: pageOf(
          visible.map((token) => tokenAggregate(auth.policy, token, now)),
          pageIndex,
          pageSize,
        ),
      };
    },
  };
}

/** Service-account tokens only of service accounts the caller may view (a user's own tokens are its own). */
function viewableTokens(
  auth: AuthenticatedRequest,
  scope: Scope,
  tokens: readonly StoredToken[],
): StoredToken[] {
  const serviceAccountTokens = tokens.filter((token) => token.apiKeyType === 'SERVICE_ACCOUNT');
  if (serviceAccountTokens.length === 0) return [...tokens];
  const parents = viewableRecords(
    auth,
    scope,
    SERVICE_ACCOUNT,
    'core_serviceaccount_view',
    [...new Set(serviceAccountTokens.map((token) => token.parentIdentifier))].map((identifier) => ({
      identifier,
    })),
  ).map((record) => record.identifier);
  const allowed = new Set(parents);
  return tokens.filter(
    (token) => token.apiKeyType !== 'SERVICE_ACCOUNT' || allowed.has(token.parentIdentifier),
  );
}

function tokenUpdateRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: '/ng/api/token/{identifier}',
    handler: async (request) => {
      const auth = await authenticatedForBody(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'Token');
      const body = parseInput(tokenUpdateBodySchema, request.body);
      if (body.identifier !== identifier) {
        throw new InvalidRequestError('The identifier cannot change', [
          fieldError('identifier', `must equal the identifier in the path (${identifier})`),
        ]);
      }
      const scope = scopeOfBody(request, auth, body);
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        const now = context.now();
        authorizeKeyParent(auth, policy, scope, body.apiKeyType, body.parentIdentifier);
        requireApiKeyAt(policy, scope, body.apiKeyType, body.parentIdentifier, body.apiKeyIdentifier);
        const current = tokensOfKey(
          policy,
          body.apiKeyType,
          body.parentIdentifier,
          body.apiKeyIdentifier,
        ).find((token) => token.identifier === identifier && isAt(token, scope));
        if (!current)
          throw new NotFoundError(`Token ${identifier} of API key ${body.apiKeyIdentifier} does not exist`);
        const validTo = body.validTo ?? current.validTo;
        if (validTo !== current.validTo && (validTo <= now || validTo < current.validFrom)) {
          throw new InvalidRequestError('Invalid token validity', [
            fieldError(
              'validTo',
              validTo <= now ? 'must not be in the past' : 'must not be before validFrom',
            ),
          ]);
        }
        const { description: _description, tags: _tags, ...rest } = current;
        const updated: StoredToken = {
          ...rest,
          name: body.name,
          validTo,
          ...(body.description != null ? { description: body.description } : {}),
          ...(body.tags != null ? { tags: body.tags } : {}),
        };
        const item = policy.items.get(tokenSk(current.tokenId));
        if (!item) throw new Error('token item vanished from the policy');
        const meta = itemMetaOf(item);
        return {
          operations: [
            {
              kind: 'replace',
              item: tokenItem(policy.accountId, updated, nextMeta(meta, now)),
              expectedVersion: meta.version,
            },
          ],
          result: tokenDto(updated, now),
        };
      });
      return { data };
    },
  };
}

function tokenValidateRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/token/validate',
    handler: async (request) => {
      const auth = await authenticated(context, request);
      requestScope(request);
      const raw = parseInput(tokenValidateBodySchema, request.body, 'body');
      const now = context.now();
      const invalid = () =>
        new InvalidRequestError('The token is not valid', [
          fieldError('body', 'is not a valid token of this account'),
        ]);
      if (parseToken(raw)?.accountId !== auth.accountId) throw invalid();
      const result = authenticate(auth.policy.tokens, auth.accountId, raw, now);
      if (!result.ok) throw invalid();
      const token = auth.policy.tokens.get(parseToken(raw)?.tokenId ?? '');
      if (!token) throw invalid();
      return { data: tokenDto(token, now) };
    },
  };
}

/** The Harness-client credential routes: service-account aggregates, API-key lists and update, token aggregate, update and validate. */
export function credentialRoutes(context: ManagementContext): Route[] {
  return [
    serviceAccountAggregateListRoute(context),
    serviceAccountAggregateRoute(context),
    apiKeyListRoute(context),
    apiKeyAggregateListRoute(context),
    apiKeyAggregateRoute(context),
    apiKeyUpdateRoute(context),
    tokenAggregateListRoute(context),
    tokenUpdateRoute(context),
    tokenValidateRoute(context),
  ];
}
