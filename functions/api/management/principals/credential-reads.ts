import type { Scope } from '../../../core/scope.js';
import { type ApiKeyType, tokenExpiry } from '../../../core/token.js';
import {
  apiKeyFromItem,
  findApiKeyItem,
  findTokenItem,
  type StoredApiKey,
  type StoredToken,
  tokenRecordFromItem,
} from '../../../store/entities/credentials.js';
import {
  type StoredServiceAccount,
  serviceAccountFromItem,
} from '../../../store/entities/service-accounts.js';
import { itemMetaOf } from '../../../store/item-reader.js';
import type { ItemMeta } from '../../../store/items.js';
import { ENTITY } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { itemsOfEntity } from '../../../store/readers/principal-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { AccessDeniedError } from '../../http/errors.js';
import { type RoleAssignmentMetadata, roleAssignmentMetadataOf } from '../access/role-assignment-metadata.js';
import { requireExistingScope } from '../request-scope.js';
import { type ApiKeyDto, apiKeyDto } from './api-key-routes.js';
import { apiKeysOfParent, tokensOfKey } from './principal-cascade.js';
import { isAt, requireScopeAndPermission, scopeFieldsOf } from './principal-request.js';
import {
  requireServiceAccountAt,
  type ServiceAccountDto,
  serviceAccountDto,
} from './service-account-routes.js';

/**
 * The read models of Harness's aggregate endpoints for service accounts, API keys and tokens
 * (v2 client `ServiceAccountAggregate`, `ApiKeyAggregate`, `TokenAggregate`, `Token`), and who may
 * read them.
 */

/** Harness's `Token` DTO: the stored token without its secret, `valid` as of `now`. */
export interface TokenDto {
  readonly identifier: string;
  readonly name: string;
  readonly validFrom: number;
  readonly validTo: number;
  readonly scheduledExpireTime?: number;
  readonly valid: boolean;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly apiKeyIdentifier: string;
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
}

/** The DTO of a stored token at `now`. */
export function tokenDto(token: StoredToken, now: number): TokenDto {
  return {
    identifier: token.identifier,
    name: token.name,
    validFrom: token.validFrom,
    validTo: token.validTo,
    ...(token.scheduledExpireTime === undefined ? {} : { scheduledExpireTime: token.scheduledExpireTime }),
    valid: token.validFrom <= now && now < tokenExpiry(token),
    description: token.description ?? '',
    tags: { ...(token.tags ?? {}) },
    apiKeyIdentifier: token.apiKeyIdentifier,
    apiKeyType: token.apiKeyType,
    parentIdentifier: token.parentIdentifier,
    ...scopeFieldsOf(token.scope),
  };
}

/** `TokenAggregate`: the token with its expiry and bookkeeping. */
export interface TokenAggregate {
  readonly token: TokenDto;
  readonly expiryAt: number;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
}

/** `ApiKeyAggregate`: the key, its bookkeeping and how many live tokens it has. */
export interface ApiKeyAggregate {
  readonly apiKey: ApiKeyDto;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly tokensCount: number;
}

/** `ServiceAccountAggregate`: the account, its bookkeeping, live tokens and role assignments at its scope. */
export interface ServiceAccountAggregate {
  readonly serviceAccount: ServiceAccountDto;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly tokensCount: number;
  readonly roleAssignmentsMetadataDTO: RoleAssignmentMetadata[];
}

function liveTokens(tokens: readonly StoredToken[], now: number): number {
  return tokens.filter((token) => tokenExpiry(token) > now).length;
}

/** The aggregate of a token. */
export function tokenAggregate(policy: AccountPolicy, token: StoredToken, now: number): TokenAggregate {
  const item = findTokenItem(policy.items, token.tokenId);
  const meta: ItemMeta = item
    ? itemMetaOf(item)
    : { createdAt: token.validFrom, lastModifiedAt: token.validFrom, version: 1 };
  return {
    token: tokenDto(token, now),
    expiryAt: tokenExpiry(token),
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
  };
}

/** The aggregate of an API key. */
export function apiKeyAggregate(policy: AccountPolicy, key: StoredApiKey, now: number): ApiKeyAggregate {
  const item = findApiKeyItem(policy.items, key.apiKeyType, key.parentIdentifier, key.identifier);
  const meta = item ? apiKeyFromItem(policy.accountId, item).meta : undefined;
  return {
    apiKey: apiKeyDto(key),
    createdAt: meta?.createdAt ?? 0,
    lastModifiedAt: meta?.lastModifiedAt ?? 0,
    tokensCount: liveTokens(tokensOfKey(policy, key.apiKeyType, key.parentIdentifier, key.identifier), now),
  };
}

/** The aggregate of a service account. */
export function serviceAccountAggregate(
  policy: AccountPolicy,
  account: StoredServiceAccount,
  meta: ItemMeta,
  now: number,
): ServiceAccountAggregate {
  const tokens = apiKeysOfParent(policy, 'SERVICE_ACCOUNT', account.identifier).flatMap((key) =>
    tokensOfKey(policy, 'SERVICE_ACCOUNT', account.identifier, key.identifier),
  );
  return {
    serviceAccount: serviceAccountDto(account),
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
    tokensCount: liveTokens(tokens, now),
    roleAssignmentsMetadataDTO: roleAssignmentMetadataOf(policy, account.scope, {
      type: 'SERVICE_ACCOUNT',
      identifier: account.identifier,
    }),
  };
}

/** Every service account at exactly `scope` with its bookkeeping, by identifier. */
export function serviceAccountsAt(
  policy: AccountPolicy,
  scope: Scope,
): { value: StoredServiceAccount; meta: ItemMeta }[] {
  return itemsOfEntity(policy.items, ENTITY.ServiceAccount)
    .map((item) => serviceAccountFromItem(policy.accountId, item))
    .filter((found) => isAt(found.value, scope))
    .sort((a, b) => a.value.identifier.localeCompare(b.value.identifier));
}

/**
 * Who may read a parent's API keys and tokens: for a service account, `core_serviceaccount_view` on
 * it (404 unless it lives at `scope`); for a user, only that user (403 otherwise).
 */
export function authorizeKeyParentView(
  auth: AuthenticatedRequest,
  scope: Scope,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
): void {
  if (apiKeyType === 'SERVICE_ACCOUNT') {
    requireScopeAndPermission(auth, auth.policy, scope, {
      permission: 'core_serviceaccount_view',
      resourceType: 'SERVICEACCOUNT',
      resourceIdentifier: parentIdentifier,
    });
    requireServiceAccountAt(auth.policy, scope, parentIdentifier);
    return;
  }
  requireExistingScope(auth.policy, scope);
  if (auth.caller.type !== 'USER' || auth.caller.identifier !== parentIdentifier) {
    throw new AccessDeniedError(
      `Principal of type ${auth.caller.type} with identifier ${auth.caller.identifier} : API keys of type USER can only be read by the user ${parentIdentifier} itself`,
    );
  }
}

/** The API keys of a parent at exactly `scope`, by identifier. */
export function apiKeysAt(
  policy: AccountPolicy,
  scope: Scope,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
): StoredApiKey[] {
  return apiKeysOfParent(policy, apiKeyType, parentIdentifier)
    .filter((key) => isAt(key, scope))
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}

/** Every token of a parent at `scope` (of one key when `apiKeyIdentifier` is given), by identifier. */
export function tokensAt(
  policy: AccountPolicy,
  scope: Scope,
  apiKeyType: ApiKeyType,
  parentIdentifier: string | undefined,
  apiKeyIdentifier: string | undefined,
): StoredToken[] {
  return itemsOfEntity(policy.items, ENTITY.Token)
    .map((item) => tokenRecordFromItem(item).value)
    .filter(
      (token) =>
        token.apiKeyType === apiKeyType &&
        (parentIdentifier === undefined || token.parentIdentifier === parentIdentifier) &&
        (apiKeyIdentifier === undefined || token.apiKeyIdentifier === apiKeyIdentifier) &&
        isAt(token, scope),
    )
    .sort((a, b) => a.identifier.localeCompare(b.identifier) || a.tokenId.localeCompare(b.tokenId));
}
