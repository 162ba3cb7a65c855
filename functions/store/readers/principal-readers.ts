import type { AssignablePrincipalType } from '../../core/principal.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import type { AccountItemMap } from '../entities/entity-items.js';
import { roleAssignmentFromItem } from '../entities/role-assignments.js';
import { entityKey, gsi1Key, itemsFiled } from '../indexed-items.js';
import { assignmentsByPrincipalGsi1Pk, ENTITY } from '../keys.js';

/**
 * Readers for the principal management endpoints over the items the policy cache already holds (no
 * extra DynamoDB round trip): every item of an entity, and a principal's role assignments through
 * the generic index. Each item is decoded by its entity's codec (`entities/*.ts`).
 */

/** Every item of `entity` among `items` (the account partition by sort key). */
export function itemsOfEntity(items: AccountItemMap, entity: string): Record<string, unknown>[] {
  return itemsFiled(items, entityKey(entity), (item) => item.entity === entity);
}

/**
 * Every role assignment of a principal (`type`, `identifier`), at any scope, enabled or not. Throws
 * `MalformedItemError` when one of them does not decode.
 */
export function roleAssignmentsOfPrincipal(
  accountId: string,
  items: AccountItemMap,
  type: AssignablePrincipalType,
  identifier: string,
): RoleAssignment[] {
  const partition = assignmentsByPrincipalGsi1Pk(accountId, type, identifier);
  return itemsFiled(
    items,
    gsi1Key(partition),
    (item) => item.entity === ENTITY.RoleAssignment && item.GSI1PK === partition,
  )
    .filter((item) => item.entity === ENTITY.RoleAssignment)
    .map((item) => roleAssignmentFromItem(accountId, item));
}
