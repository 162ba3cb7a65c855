import * as z from 'zod';
import { apiKeyItem, findApiKeyItem, type StoredApiKey } from '../../../store/entities/credentials.js';
import { ConflictError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import {
  apiKeyTypeField,
  descriptionField,
  identifierField,
  MAX_TIME_MS,
  nameField,
  opaqueIdField,
  scopeIdField,
  tagsField,
} from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import {
  apiKeyParentQuerySchema,
  authorizedApiKey,
  authorizeKeyParent,
  MAX_API_KEYS_PER_PARENT,
  MAX_LIMIT_REACHED,
} from './api-key-owner.js';
import { apiKeyDeletes, apiKeysOfParent } from './principal-cascade.js';
import { newMeta, scopeFieldsOf } from './principal-request.js';

/**
 * API key endpoints (reference §5.9, §9): `POST /ng/api/apikey` and `DELETE /ng/api/apikey/{identifier}`.
 * A key belongs to a service account or (a personal key) to a user, and groups that parent's tokens.
 */

/** How long a token lives when neither the token nor its key says otherwise: 30 days (reference §9). */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** The body of `POST /ng/api/apikey` (reference §5.9 `ApiKey`). */
export const apiKeyBodySchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  description: descriptionField,
  tags: tagsField,
  apiKeyType: apiKeyTypeField,
  parentIdentifier: opaqueIdField,
  defaultTimeToExpireToken: z.number().int().min(1).max(MAX_TIME_MS).nullish(),
  accountIdentifier: z.string().min(1, 'cannot be empty').max(128),
  orgIdentifier: scopeIdField,
  projectIdentifier: scopeIdField,
  /** Harness's policy-evaluation metadata (an answer field its clients echo back); accepted and ignored. */
  governanceMetadata: z.record(z.string(), z.unknown()).nullish(),
});

/** The ApiKey DTO of the API (reference §5.9). */
export interface ApiKeyDto {
  readonly identifier: string;
  readonly name: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly apiKeyType: StoredApiKey['apiKeyType'];
  readonly parentIdentifier: string;
  readonly defaultTimeToExpireToken: number;
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
}

/** The DTO of a stored API key. */
export function apiKeyDto(key: StoredApiKey): ApiKeyDto {
  return {
    identifier: key.identifier,
    name: key.name,
    description: key.description ?? '',
    tags: { ...(key.tags ?? {}) },
    apiKeyType: key.apiKeyType,
    parentIdentifier: key.parentIdentifier,
    defaultTimeToExpireToken: key.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS,
    ...scopeFieldsOf(key.scope),
  };
}

const TAG = 'API keys and tokens';

const createApiKey = endpoint({
  method: 'POST',
  path: '/ng/api/apikey',
  summary:
    'Create an API key (of a service account: core_serviceaccount_manageapikey on it; personal: its user)',
  tag: TAG,
  body: apiKeyBodySchema,
  scopeFrom: 'body',
  needs: 'per-resource',
  handle: ({ scope, body, now, write }) =>
    write((policy, caller) => {
      authorizeKeyParent(caller, policy, scope, body.apiKeyType, body.parentIdentifier);
      if (
        findApiKeyItem(policy.items, body.apiKeyType, body.parentIdentifier, body.identifier) !== undefined
      ) {
        throw new ConflictError(
          `An API key with identifier ${body.identifier} already exists for ${body.apiKeyType} ${body.parentIdentifier}`,
        );
      }
      if (apiKeysOfParent(policy, body.apiKeyType, body.parentIdentifier).length >= MAX_API_KEYS_PER_PARENT) {
        throw new ConflictError(
          `Maximum limit has reached: ${body.apiKeyType} ${body.parentIdentifier} already has ${MAX_API_KEYS_PER_PARENT} API keys`,
          MAX_LIMIT_REACHED,
        );
      }
      const key: StoredApiKey = {
        identifier: body.identifier,
        name: body.name,
        ...(body.description != null ? { description: body.description } : {}),
        ...(body.tags != null ? { tags: body.tags } : {}),
        apiKeyType: body.apiKeyType,
        parentIdentifier: body.parentIdentifier,
        scope,
        defaultTimeToExpireToken: body.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS,
      };
      const item = apiKeyItem(policy.accountId, key, newMeta(now()));
      return { operations: [{ kind: 'create', item }], result: apiKeyDto(key) };
    }),
});

const deleteApiKey = endpoint({
  method: 'DELETE',
  path: '/ng/api/apikey/{identifier}',
  summary: 'Delete an API key and its tokens',
  tag: TAG,
  query: apiKeyParentQuerySchema,
  needs: 'per-resource',
  notFound: (identifier) => `API key ${identifier} does not exist`,
  handle: ({ scope, identifier, query: { apiKeyType, parentIdentifier }, write }) =>
    write((policy, caller) => {
      const key = authorizedApiKey(caller, policy, scope, {
        apiKeyType,
        parentIdentifier,
        apiKeyIdentifier: identifier,
      });
      return { operations: apiKeyDeletes(policy, key.value), result: true };
    }),
});

/** The API key routes: create and delete (which deletes the key's tokens). */
export function apiKeyRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [createApiKey, deleteApiKey]);
}
