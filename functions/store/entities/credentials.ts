import type { ApiKeyType } from '../../core/token.js';
import type { ChangeOperation } from '../change-log.js';
import { entityKey, itemsFiled } from '../indexed-items.js';
import { apiKeySk, ENTITY, tokenSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The API key and token entities' key-level operations (codecs: `apiKeyItem`, `tokenItem` and their readers). */

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
