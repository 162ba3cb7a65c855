import type { RoleAssignment } from '../../../core/role-assignment.js';
import { isSelfOrAncestor, type Scope } from '../../../core/scope.js';
import type { ApiKeyType } from '../../../core/token.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import {
  apiKeyDeletion,
  apiKeyFromItem,
  apiKeyItemsOf,
  type StoredApiKey,
  type StoredToken,
  tokenDeletion,
  tokenRecordFromItem,
} from '../../../store/entities/credentials.js';
import { roleAssignmentDeletions } from '../../../store/entities/role-assignments.js';
import { ENTITY } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { itemsOfEntity } from '../../../store/readers/principal-readers.js';

/**
 * What deleting a principal takes with it (reference §6.7, §9): its role assignments (each with its
 * `RAKEY` uniqueness guard), and for API-key parents their keys and tokens. Operations are returned
 * dependants first, so a plan larger than one transaction stays consistent between prefixes.
 */

/** True when the USER_GROUP assignment names the group `identifier` defined at `groupScope`. */
export function assignmentNamesGroup(
  assignment: RoleAssignment,
  groupScope: Scope,
  identifier: string,
): boolean {
  const { principal } = assignment;
  return (
    principal.type === 'USER_GROUP' &&
    principal.identifier === identifier &&
    (principal.scopeLevel ?? assignment.scope.level) === groupScope.level &&
    isSelfOrAncestor(groupScope, assignment.scope)
  );
}

/** True when the assignment names the service account `identifier` (unique in the account). */
export function assignmentNamesServiceAccount(assignment: RoleAssignment, identifier: string): boolean {
  return assignment.principal.type === 'SERVICE_ACCOUNT' && assignment.principal.identifier === identifier;
}

/** Deletes of the assignments and of their uniqueness guards (when present). */
export function assignmentDeletes(
  policy: AccountPolicy,
  assignments: readonly RoleAssignment[],
): ChangeOperation[] {
  return assignments.flatMap((assignment) => roleAssignmentDeletions(policy.items, assignment));
}

/** The tokens of one API key (any state: valid, rotated or expired). */
export function tokensOfKey(
  policy: AccountPolicy,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
  apiKeyIdentifier: string,
): StoredToken[] {
  return itemsOfEntity(policy.items, ENTITY.Token)
    .map((item) => tokenRecordFromItem(item).value)
    .filter(
      (token) =>
        token.apiKeyType === apiKeyType &&
        token.parentIdentifier === parentIdentifier &&
        token.apiKeyIdentifier === apiKeyIdentifier,
    );
}

/** The API keys of one parent (a service account or a user), at every scope. */
export function apiKeysOfParent(
  policy: AccountPolicy,
  apiKeyType: ApiKeyType,
  parentIdentifier: string,
): StoredApiKey[] {
  return apiKeyItemsOf(policy.items, apiKeyType, parentIdentifier).map(
    (item) => apiKeyFromItem(policy.accountId, item).value,
  );
}

/** Deletes of an API key's tokens followed by the key itself. */
export function apiKeyDeletes(policy: AccountPolicy, key: StoredApiKey): ChangeOperation[] {
  return [
    ...tokensOfKey(policy, key.apiKeyType, key.parentIdentifier, key.identifier).map((token) =>
      tokenDeletion(token.tokenId),
    ),
    apiKeyDeletion(key.apiKeyType, key.parentIdentifier, key.identifier),
  ];
}
