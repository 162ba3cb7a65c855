import * as z from 'zod';
import type { Scope } from '../../../core/scope.js';
import type { ApiKeyType } from '../../../core/token.js';
import { apiKeyFromItem, findApiKeyItem, type StoredApiKey } from '../../../store/entities/credentials.js';
import type { Versioned } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { AccessDeniedError, NotFoundError } from '../../http/errors.js';
import { apiKeyTypeField, identifierField, opaqueIdField } from '../entity-fields.js';
import { requireExistingScope } from '../request-scope.js';
import { isAt, requireScopeAndPermission } from './principal-request.js';
import { requireServiceAccountAt } from './service-account-routes.js';

/**
 * Who may manage an API key and its tokens (reference §9): keys of a service account need
 * `core_serviceaccount_manageapikey` on `SERVICEACCOUNT/<parent>` at the key's scope, and the service
 * account must live there; personal (USER) keys only their own user.
 */

/** The most API keys one parent may hold, and the most live tokens one key may hold (reference §8.5). */
export const MAX_API_KEYS_PER_PARENT = 5;
export const MAX_TOKENS_PER_API_KEY = 5;

/** The envelope code of a refused create past a limit. */
export const MAX_LIMIT_REACHED = 'MAX_LIMIT_REACHED';

/** The query parameters that name an API key's parent (`DELETE /ng/api/apikey/{identifier}`). */
export const apiKeyParentQuerySchema = z.object({
  apiKeyType: apiKeyTypeField,
  parentIdentifier: opaqueIdField,
});

/** The query parameters that name a token's API key (`DELETE /ng/api/token/{identifier}`, rotate). */
export const tokenKeyQuerySchema = apiKeyParentQuerySchema.extend({
  apiKeyIdentifier: identifierField,
});

/**
 * 404 unless `scope` exists; then, for SERVICE_ACCOUNT keys, 403 unless the caller holds
 * `core_serviceaccount_manageapikey` on the service account and 404 unless it lives at `scope`; for
 * USER keys, 403 unless the caller is that user.
 */
export function authorizeKeyParent(
  auth: AuthenticatedRequest,
  policy: AccountPolicy,
  scope: Scope,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
): void {
  if (apiKeyType === 'SERVICE_ACCOUNT') {
    requireScopeAndPermission(auth, policy, scope, {
      permission: 'core_serviceaccount_manageapikey',
      resourceType: 'SERVICEACCOUNT',
      resourceIdentifier: parentIdentifier,
    });
    requireServiceAccountAt(policy, scope, parentIdentifier);
    return;
  }
  requireExistingScope(policy, scope);
  if (auth.caller.type !== 'USER' || auth.caller.identifier !== parentIdentifier) {
    throw new AccessDeniedError(
      `Principal of type ${auth.caller.type} with identifier ${auth.caller.identifier} : API keys of type USER can only be managed by the user ${parentIdentifier} itself`,
    );
  }
}

/** The API key when it exists at exactly `scope`, else 404. */
export function requireApiKeyAt(
  policy: AccountPolicy,
  scope: Scope,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
  identifier: string,
): Versioned<StoredApiKey> {
  const item = findApiKeyItem(policy.items, apiKeyType, parentIdentifier, identifier);
  const found = item && apiKeyFromItem(policy.accountId, item);
  if (!found || !isAt(found.value, scope)) {
    throw new NotFoundError(
      `API key ${identifier} of ${apiKeyType} ${parentIdentifier} does not exist in this scope`,
    );
  }
  return found;
}

/** Which API key a request names: its parent's type and identifier, and its own identifier. */
export interface ApiKeyReference {
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly apiKeyIdentifier: string;
}

/**
 * The API key a request names, once the caller may manage its parent's keys
 * ({@link authorizeKeyParent}: 403 otherwise) and the key exists at exactly `scope` (404 otherwise).
 */
export function authorizedApiKey(
  auth: AuthenticatedRequest,
  policy: AccountPolicy,
  scope: Scope,
  key: ApiKeyReference,
): Versioned<StoredApiKey> {
  authorizeKeyParent(auth, policy, scope, key.apiKeyType, key.parentIdentifier);
  return requireApiKeyAt(policy, scope, key.apiKeyType, key.parentIdentifier, key.apiKeyIdentifier);
}
