import * as z from 'zod';
import type { Scope } from '../../../core/scope.js';
import { parseToken, tokenExpiry } from '../../../core/token.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { authenticate } from '../../../store/credentials.js';
import {
  apiKeyItem,
  findTokenItem,
  type StoredApiKey,
  type StoredToken,
  tokenItem,
} from '../../../store/entities/credentials.js';
import { itemMetaOf } from '../../../store/item-reader.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { queryList } from '../../http/query-lists.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import { apiKeyTypeField, identifierField, opaqueIdField } from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import { requirePermission } from '../require-permission.js';
import { requireSameIdentifier } from '../same-identifier.js';
import { apiKeyParentQuerySchema, authorizedApiKey, requireApiKeyAt } from './api-key-owner.js';
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
  identifiersQuerySchema,
  isAt,
  matchingSearchTerm,
  nextMeta,
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
  identifiers: z.string().optional(),
});

/** The body of `PUT /ng/api/token/{identifier}`: Harness's `Token` (the key's coordinates name it). */
export const tokenUpdateBodySchema = tokenBodySchema;

/** The body of `POST /ng/api/token/validate`: the raw token, as a JSON string. */
export const tokenValidateBodySchema = z.string().min(1, 'cannot be empty').max(1024);

/** The query of the API-key reads and of the service-account aggregates: the parent, optionally some identifiers. */
const apiKeyReadQuerySchema = apiKeyListQuerySchema.extend({ identifiers: z.string().optional() });

function identifiersFilter<T extends { readonly identifier: string }>(
  request: ApiRequest,
  records: readonly T[],
): T[] {
  const wanted = queryList(request.query, 'identifiers');
  if (wanted.length === 0) return [...records];
  const set = new Set(wanted);
  return records.filter((record) => set.has(record.identifier));
}

const SERVICE_ACCOUNT_TAG = 'Service accounts';
const TAG = 'API keys and tokens';
const serviceAccountNotFound = (identifier: string) => `Service account ${identifier} does not exist`;
const apiKeyNotFound = (identifier: string) => `API key ${identifier} does not exist`;

const listServiceAccountAggregates = endpoint({
  method: 'GET',
  path: '/ng/api/serviceaccount/aggregate',
  summary: 'Service accounts with token counts and role assignments (identifiers, searchTerm)',
  tag: SERVICE_ACCOUNT_TAG,
  query: identifiersQuerySchema,
  paged: true,
  needs: { permission: 'core_serviceaccount_view', resourceType: SERVICE_ACCOUNT },
  handle: async ({ request, auth, scope, now, page }) => {
    const records = serviceAccountsAt(auth.policy, scope).map((found) => ({
      identifier: found.value.identifier,
      name: found.value.name,
      found,
    }));
    const at = now();
    return page(
      identifiersFilter(request, matchingSearchTerm(request, records)).map(({ found }) =>
        serviceAccountAggregate(auth.policy, found.value, found.meta, at),
      ),
    );
  },
});

const getServiceAccountAggregate = endpoint({
  method: 'GET',
  path: '/ng/api/serviceaccount/aggregate/{identifier}',
  summary: 'A service account with its token count and role assignments (Terraform read)',
  tag: SERVICE_ACCOUNT_TAG,
  needs: { permission: 'core_serviceaccount_view', resourceType: SERVICE_ACCOUNT, on: 'path' },
  notFound: serviceAccountNotFound,
  handle: async ({ auth, scope, identifier, now }) => {
    const found = requireServiceAccountAt(auth.policy, scope, identifier);
    return serviceAccountAggregate(auth.policy, found.value, found.meta, now());
  },
});

const listApiKeys = endpoint({
  method: 'GET',
  path: '/ng/api/apikey',
  summary: 'The API keys of a parent (a plain list)',
  tag: TAG,
  query: apiKeyReadQuerySchema,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, query: { apiKeyType, parentIdentifier } }) => {
    authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
    return identifiersFilter(request, apiKeysAt(auth.policy, scope, apiKeyType, parentIdentifier)).map(
      apiKeyDto,
    );
  },
});

const listApiKeyAggregates = endpoint({
  method: 'GET',
  path: '/ng/api/apikey/aggregate',
  summary: 'The API keys of a parent with their token counts',
  tag: TAG,
  query: apiKeyReadQuerySchema,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, query: { apiKeyType, parentIdentifier }, now, page }) => {
    authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
    const keys = matchingSearchTerm(
      request,
      identifiersFilter(request, apiKeysAt(auth.policy, scope, apiKeyType, parentIdentifier)),
    );
    const at = now();
    return page(keys.map((key) => apiKeyAggregate(auth.policy, key, at)));
  },
});

const getApiKeyAggregate = endpoint({
  method: 'GET',
  path: '/ng/api/apikey/aggregate/{identifier}',
  summary: 'An API key with its token count (Terraform read)',
  tag: TAG,
  query: apiKeyListQuerySchema,
  needs: 'per-resource',
  notFound: apiKeyNotFound,
  handle: async ({ auth, scope, identifier, query: { apiKeyType, parentIdentifier }, now }) => {
    authorizeKeyParentView(auth, scope, apiKeyType, parentIdentifier);
    const key = requireApiKeyAt(auth.policy, scope, apiKeyType, parentIdentifier, identifier);
    return apiKeyAggregate(auth.policy, key.value, now());
  },
});

/** `PUT /ng/api/apikey/{identifier}`: Harness's `updateApiKey` sends no query, so the account and scope may come from the body alone. */
const updateApiKey = endpoint({
  method: 'PUT',
  path: '/ng/api/apikey/{identifier}',
  summary:
    'Update an API key (name, description, tags, default token lifetime); the scope may be in the body alone',
  tag: TAG,
  body: apiKeyBodySchema,
  accountFrom: 'query-token-or-body',
  scopeFrom: 'body',
  needs: 'per-resource',
  notFound: apiKeyNotFound,
  handle: ({ scope, identifier, body, now, write }) => {
    requireSameIdentifier(body.identifier, identifier);
    return write((policy, caller) => {
      const current = authorizedApiKey(caller, policy, scope, { ...body, apiKeyIdentifier: identifier });
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
      const item = apiKeyItem(policy.accountId, updated, nextMeta(current.meta, now()));
      return {
        operations: [{ kind: 'replace', item, expectedVersion: current.meta.version }],
        result: apiKeyDto(updated),
      };
    });
  },
});

const listTokenAggregates = endpoint({
  method: 'GET',
  path: '/ng/api/token/aggregate',
  summary: 'Tokens with their expiry (Terraform read), without secrets',
  tag: TAG,
  query: tokenListQuerySchema,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, query, now: clock, page }) => {
    const now = clock();
    const parent =
      query.parentIdentifier ?? (query.apiKeyType === 'USER' ? auth.caller.identifier : undefined);
    if (parent !== undefined) authorizeKeyParentView(auth, scope, query.apiKeyType, parent);
    else
      requirePermission(auth, {
        permission: 'core_serviceaccount_view',
        resourceType: SERVICE_ACCOUNT,
        resourceScope: scope,
      });
    const tokens = tokensAt(auth.policy, scope, query.apiKeyType, parent, query.apiKeyIdentifier).filter(
      (token) => query.includeOnlyActiveTokens !== 'true' || tokenExpiry(token) > now,
    );
    const visible = viewableTokens(
      auth,
      scope,
      matchingSearchTerm(request, identifiersFilter(request, tokens)),
    );
    return page(visible.map((token) => tokenAggregate(auth.policy, token, now)));
  },
});

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

const updateToken = endpoint({
  method: 'PUT',
  path: '/ng/api/token/{identifier}',
  summary: 'Update a token (name, description, tags, validTo)',
  tag: TAG,
  body: tokenUpdateBodySchema,
  accountFrom: 'query-token-or-body',
  scopeFrom: 'body',
  needs: 'per-resource',
  notFound: (identifier) => `Token ${identifier} does not exist`,
  handle: ({ scope, identifier, body, now: clock, write }) => {
    requireSameIdentifier(body.identifier, identifier);
    return write((policy, caller) => {
      const now = clock();
      authorizedApiKey(caller, policy, scope, body);
      const current = tokensOfKey(policy, body.apiKeyType, body.parentIdentifier, body.apiKeyIdentifier).find(
        (token) => token.identifier === identifier && isAt(token, scope),
      );
      if (!current)
        throw new NotFoundError(`Token ${identifier} of API key ${body.apiKeyIdentifier} does not exist`);
      const validTo = body.validTo ?? current.validTo;
      if (validTo !== current.validTo && (validTo <= now || validTo < current.validFrom)) {
        throw new InvalidRequestError('Invalid token validity', [
          fieldError('validTo', validTo <= now ? 'must not be in the past' : 'must not be before validFrom'),
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
      const item = findTokenItem(policy.items, current.tokenId);
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
  },
});

const validateToken = endpoint({
  method: 'POST',
  path: '/ng/api/token/validate',
  summary: 'The Token of a raw token string of this account, if it is valid (400 otherwise)',
  tag: TAG,
  body: tokenValidateBodySchema,
  needs: 'any-caller',
  handle: async ({ auth, body: raw, now: clock }) => {
    const now = clock();
    const invalid = () =>
      new InvalidRequestError('The token is not valid', [
        fieldError('body', 'is not a valid token of this account'),
      ]);
    if (parseToken(raw)?.accountId !== auth.accountId) throw invalid();
    const result = authenticate(auth.policy.tokens, auth.accountId, raw, now);
    if (!result.ok) throw invalid();
    const token = auth.policy.tokens.get(parseToken(raw)?.tokenId ?? '');
    if (!token) throw invalid();
    return tokenDto(token, now);
  },
});

/** The Harness-client credential routes: service-account aggregates, API-key lists and update, token aggregate, update and validate. */
export function credentialRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    listServiceAccountAggregates,
    getServiceAccountAggregate,
    listApiKeys,
    listApiKeyAggregates,
    getApiKeyAggregate,
    updateApiKey,
    listTokenAggregates,
    updateToken,
    validateToken,
  ]);
}
