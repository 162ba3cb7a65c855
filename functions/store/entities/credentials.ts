import type { Scope } from '../../core/scope.js';
import { API_KEY_TYPES, type ApiKeyType, tokenExpiry } from '../../core/token.js';
import type { ChangeOperation } from '../change-log.js';
import { entityKey, itemsFiled } from '../indexed-items.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  checkTime,
  copyTags,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
  type Versioned,
} from '../items.js';
import { accountPk, apiKeySk, ENTITY, tokenSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The API key and token entities: their keys, items and decoders, and the key-level operations
 * routes need. A token item holds only the hash of its secret.
 */

/**
 * An API key (reference §5.9): it belongs to a service account or a user (`apiKeyType`,
 * `parentIdentifier`) at `scope` and groups that parent's tokens. `defaultTimeToExpireToken` is in
 * milliseconds.
 */
export interface StoredApiKey {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly scope: Scope;
  readonly defaultTimeToExpireToken?: number;
}

/**
 * A token of an API key (reference §5.9, §9). `tokenId` is the random id embedded in the token string
 * (and the item's key); `identifier` is the user-facing one. Only `secretHash`
 * (`hashTokenSecret` of the secret) is stored. Times are epoch milliseconds; the token is valid from
 * `validFrom` until `scheduledExpireTime` when set (a rotated token), else until `validTo`.
 */
export interface StoredToken {
  readonly tokenId: string;
  readonly identifier: string;
  readonly name: string;
  readonly apiKeyIdentifier: string;
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly scope: Scope;
  readonly secretHash: string;
  readonly validFrom: number;
  readonly validTo: number;
  readonly scheduledExpireTime?: number;
  readonly description?: string;
  readonly tags?: Record<string, string>;
}

/**
 * How long after its effective expiry a token item may be removed by DynamoDB's TTL (a backstop that
 * keeps dead tokens from piling up; validity is always checked against the clock).
 */
export const TOKEN_RETENTION_AFTER_EXPIRY_SECONDS = 24 * 3600;

/** The item of an API key (SK `APIKEY#<apiKeyType>#<parentIdentifier>#<identifier>`). */
export function apiKeyItem(accountId: string, apiKey: StoredApiKey, meta: ItemMeta): StoredItem {
  checkAccount(accountId, apiKey.scope, `API key ${apiKey.identifier}`);
  checkTime('defaultTimeToExpireToken', apiKey.defaultTimeToExpireToken);
  return {
    PK: accountPk(accountId),
    SK: apiKeySk(apiKey.apiKeyType, apiKey.parentIdentifier, apiKey.identifier),
    entity: ENTITY.ApiKey,
    ...scopeAttributes(apiKey.scope),
    identifier: apiKey.identifier,
    name: apiKey.name,
    ...optional('description', apiKey.description),
    ...optional('tags', copyTags(apiKey.tags)),
    apiKeyType: apiKey.apiKeyType,
    parentIdentifier: apiKey.parentIdentifier,
    ...optional('defaultTimeToExpireToken', apiKey.defaultTimeToExpireToken),
    ...metaAttributes(meta),
  };
}

/**
 * The item of a token (SK `TOKEN#<tokenId>`). It carries the TTL attribute `expiresAt`: the token's
 * effective expiry in epoch seconds plus {@link TOKEN_RETENTION_AFTER_EXPIRY_SECONDS}. That is a
 * backstop only; authentication checks validity against the clock and never relies on the TTL.
 */
export function tokenItem(accountId: string, token: StoredToken, meta: ItemMeta): StoredItem {
  checkAccount(accountId, token.scope, `Token ${token.identifier}`);
  checkTime('validFrom', token.validFrom);
  checkTime('validTo', token.validTo);
  checkTime('scheduledExpireTime', token.scheduledExpireTime);
  return {
    PK: accountPk(accountId),
    SK: tokenSk(token.tokenId),
    entity: ENTITY.Token,
    ...scopeAttributes(token.scope),
    tokenId: token.tokenId,
    identifier: token.identifier,
    name: token.name,
    ...optional('description', token.description),
    ...optional('tags', copyTags(token.tags)),
    apiKeyIdentifier: token.apiKeyIdentifier,
    apiKeyType: token.apiKeyType,
    parentIdentifier: token.parentIdentifier,
    secretHash: token.secretHash,
    validFrom: token.validFrom,
    validTo: token.validTo,
    ...optional('scheduledExpireTime', token.scheduledExpireTime),
    expiresAt: Math.floor(tokenExpiry(token) / 1000) + TOKEN_RETENTION_AFTER_EXPIRY_SECONDS,
    ...metaAttributes(meta),
  };
}

/** The API key of an `ApiKey` item (SK `APIKEY#…`) and its bookkeeping (throws `MalformedItemError`). */
export function apiKeyFromItem(accountId: string, item: Record<string, unknown>): Versioned<StoredApiKey> {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.ApiKey);
  return {
    value: {
      identifier: reader.string('identifier'),
      name: reader.string('name'),
      ...optional('description', reader.optionalString('description')),
      ...optional('tags', reader.tags('tags')),
      apiKeyType: reader.oneOf('apiKeyType', API_KEY_TYPES),
      parentIdentifier: reader.string('parentIdentifier'),
      scope: reader.scopeOfPath(accountId),
      ...optional('defaultTimeToExpireToken', reader.optionalNumber('defaultTimeToExpireToken')),
    },
    meta: reader.meta(),
  };
}

/**
 * The token of a `Token` item (see {@link tokenItem}), without keys, `entity`, `expiresAt` or
 * bookkeeping. Throws `MalformedItemError` when the item is not a token item or is malformed.
 */
export function tokenFromItem(item: Record<string, unknown>): StoredToken {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.Token);
  const apiKeyType = reader.oneOf('apiKeyType', API_KEY_TYPES);
  return {
    tokenId: reader.string('tokenId'),
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('tags', reader.tags('tags')),
    apiKeyIdentifier: reader.string('apiKeyIdentifier'),
    apiKeyType,
    parentIdentifier: reader.string('parentIdentifier'),
    scope: reader.scope('scope'),
    secretHash: reader.string('secretHash'),
    validFrom: reader.number('validFrom'),
    validTo: reader.number('validTo'),
    ...optional('scheduledExpireTime', reader.optionalNumber('scheduledExpireTime')),
  };
}

/** The token of a `Token` item (SK `TOKEN#<tokenId>`) and its bookkeeping. */
export function tokenRecordFromItem(item: Record<string, unknown>): Versioned<StoredToken> {
  return { value: tokenFromItem(item), meta: new ItemReader(item).meta() };
}

/** The stored item of the API key `identifier` of the `parentType` principal `parentIdentifier`. */
export function findApiKeyItem(
  items: AccountItemMap,
  parentType: ApiKeyType,
  parentIdentifier: string,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(apiKeySk(parentType, parentIdentifier, identifier));
}

/** The stored item of the token `tokenId`. */
export function findTokenItem(items: AccountItemMap, tokenId: string): Record<string, unknown> | undefined {
  return items.get(tokenSk(tokenId));
}

/** The operation that deletes the token `tokenId`. */
export function tokenDeletion(tokenId: string): ChangeOperation {
  return { kind: 'delete', sk: tokenSk(tokenId) };
}

/**
 * The stored items of the API keys of the `parentType` principal `parentIdentifier`, at every scope
 * (through the item index: O(API keys of the account), never O(account)).
 */
export function apiKeyItemsOf(
  items: AccountItemMap,
  parentType: ApiKeyType,
  parentIdentifier: string,
): Record<string, unknown>[] {
  const prefix = apiKeySk(parentType, parentIdentifier, 'x').slice(0, -1);
  return itemsFiled(items, entityKey(ENTITY.ApiKey), (item) => item.entity === ENTITY.ApiKey).filter((item) =>
    String(item.SK).startsWith(prefix),
  );
}

/** The operation that deletes the API key `identifier` of the `parentType` principal `parentIdentifier`. */
export function apiKeyDeletion(
  parentType: ApiKeyType,
  parentIdentifier: string,
  identifier: string,
): ChangeOperation {
  return { kind: 'delete', sk: apiKeySk(parentType, parentIdentifier, identifier) };
}
