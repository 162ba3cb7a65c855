import type { UserGroup } from '../../core/principal.js';
import type { CustomResourceGroup } from '../../core/resource-group.js';
import type { CustomRole } from '../../core/role.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { parseScopePath, type Scope, scopePath } from '../../core/scope.js';
import type { AccountItemMap } from '../entities/entity-items.js';
import { customResourceGroupFromItem, findCustomResourceGroupItem } from '../entities/resource-groups.js';
import { roleAssignmentFromItem, roleAssignmentKey } from '../entities/role-assignments.js';
import { customRoleFromItem, findCustomRoleItem } from '../entities/roles.js';
import { findServiceAccountItem, serviceAccountPolicyFromItem } from '../entities/service-accounts.js';
import { findUserGroupItem, userGroupPolicyHeadFromItem } from '../entities/user-groups.js';
import { entityAtKey, entityKey, itemsFiled, userKey, usingKey } from '../indexed-items.js';
import { ItemReader, versioned } from '../item-reader.js';
import type { Versioned } from '../items.js';
import { ENTITY, scopeSk } from '../keys.js';

/**
 * Readers from the items of an account partition (`AccountPolicy.items`, by sort key) to the domain
 * shapes the access-management endpoints (roles, resource groups, role assignments) answer with and
 * validate against, decoded by the entities' codecs (`entities/*.ts`). They read only what the policy
 * cache already holds: no DynamoDB call. A damaged item throws `MalformedItemError` (a 503).
 */

/** The items of one entity whose `scopePath` is exactly the scope's. */
function itemsAt(items: AccountItemMap, entity: string, scope: Scope): Record<string, unknown>[] {
  const path = scopePath(scope);
  return itemsFiled(
    items,
    entityAtKey(entity, path),
    (item) => item.entity === entity && item.scopePath === path,
  );
}

/** `decode` of `item` with its bookkeeping, once the item is checked to be of `entity`. */
function decoded<T>(
  item: Record<string, unknown>,
  entity: string,
  decode: (item: Record<string, unknown>) => T,
): Versioned<T> {
  new ItemReader(item).expectEntity(entity);
  return versioned(item, decode(item));
}

function roleOf(accountId: string, item: Record<string, unknown>): Versioned<CustomRole> {
  return decoded(item, ENTITY.Role, (it) => customRoleFromItem(accountId, it));
}

function resourceGroupOf(accountId: string, item: Record<string, unknown>): Versioned<CustomResourceGroup> {
  return decoded(item, ENTITY.ResourceGroup, (it) => customResourceGroupFromItem(accountId, it));
}

function assignmentOf(accountId: string, item: Record<string, unknown>): Versioned<RoleAssignment> {
  return decoded(item, ENTITY.RoleAssignment, (it) => roleAssignmentFromItem(accountId, it));
}

/** The custom role `identifier` defined at exactly `scope`. */
export function customRoleAt(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Versioned<CustomRole> | undefined {
  const item = findCustomRoleItem(items, scope, identifier);
  return item && roleOf(scope.accountIdentifier, item);
}

/** Every custom role defined at exactly `scope`. */
export function customRolesAt(items: AccountItemMap, scope: Scope): Versioned<CustomRole>[] {
  return itemsAt(items, ENTITY.Role, scope).map((item) => roleOf(scope.accountIdentifier, item));
}

/** The custom resource group `identifier` defined at exactly `scope`. */
export function customResourceGroupAt(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Versioned<CustomResourceGroup> | undefined {
  const item = findCustomResourceGroupItem(items, scope, identifier);
  return item && resourceGroupOf(scope.accountIdentifier, item);
}

/** Every custom resource group defined at exactly `scope`. */
export function customResourceGroupsAt(
  items: AccountItemMap,
  scope: Scope,
): Versioned<CustomResourceGroup>[] {
  return itemsAt(items, ENTITY.ResourceGroup, scope).map((item) =>
    resourceGroupOf(scope.accountIdentifier, item),
  );
}

/** The role assignment `identifier` made at exactly `scope`. */
export function roleAssignmentAt(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Versioned<RoleAssignment> | undefined {
  const item = items.get(roleAssignmentKey(scope, identifier));
  return item && assignmentOf(scope.accountIdentifier, item);
}

/** Every role assignment made at exactly `scope`. */
export function roleAssignmentsAt(items: AccountItemMap, scope: Scope): Versioned<RoleAssignment>[] {
  return itemsAt(items, ENTITY.RoleAssignment, scope).map((item) =>
    assignmentOf(scope.accountIdentifier, item),
  );
}

/** Whether the scope exists: the account always does, an organization or project when its item does. */
export function scopeExists(items: AccountItemMap, scope: Scope): boolean {
  return scope.level === 'account' || items.has(scopeSk(scope));
}

/** Every existing strict descendant of `scope` (the organizations and projects below it). */
export function descendantScopes(items: AccountItemMap, scope: Scope): Scope[] {
  const prefix = `${scopePath(scope)}/`;
  const found: Scope[] = [];
  for (const item of itemsFiled(items, entityKey(ENTITY.Scope), (item) => item.entity === ENTITY.Scope)) {
    if (typeof item.scopePath !== 'string') continue;
    if (!item.scopePath.startsWith(prefix)) continue;
    const descendant = parseScopePath(item.scopePath);
    if (descendant) found.push(descendant);
  }
  return found;
}

/**
 * Whether the user is a member of `scope`: a membership item at the scope itself or at one of its
 * descendants (a member of a project is a member of its organization and account).
 */
export function isScopeMember(items: AccountItemMap, userId: string, scope: Scope): boolean {
  const path = scopePath(scope);
  const memberships = itemsFiled(
    items,
    userKey(ENTITY.Membership, userId),
    (item) => item.entity === ENTITY.Membership && item.userId === userId,
  );
  for (const item of memberships) {
    const at = item.scopePath;
    if (typeof at === 'string' && (at === path || at.startsWith(`${path}/`))) return true;
  }
  return false;
}

/**
 * The stored user group `identifier` defined at exactly `scope`, without its members (they are items
 * of their own; the evaluator's index holds them). All-users groups are never stored.
 */
export function userGroupAt(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Omit<UserGroup, 'users'> | undefined {
  const item = findUserGroupItem(items, scope, identifier);
  if (!item) return undefined;
  new ItemReader(item).expectEntity(ENTITY.UserGroup);
  const { incarnation: _incarnation, ...head } = userGroupPolicyHeadFromItem(scope.accountIdentifier, item);
  return head;
}

/** The scope the service account lives at (identifiers are unique within an account). */
export function serviceAccountScopeOf(
  items: AccountItemMap,
  accountId: string,
  identifier: string,
): Scope | undefined {
  const item = findServiceAccountItem(items, identifier);
  if (!item) return undefined;
  new ItemReader(item).expectEntity(ENTITY.ServiceAccount);
  return serviceAccountPolicyFromItem(accountId, item).scope;
}

/** Every role assignment made at exactly `scope` whose role (`field` = `roleIdentifier`) or resource group is `identifier`. */
export function roleAssignmentsUsingAt(
  items: AccountItemMap,
  scope: Scope,
  field: 'roleIdentifier' | 'resourceGroupIdentifier',
  identifier: string,
): Versioned<RoleAssignment>[] {
  const path = scopePath(scope);
  return itemsFiled(
    items,
    usingKey(field, path, identifier),
    (item) => item.entity === ENTITY.RoleAssignment && item.scopePath === path && item[field] === identifier,
  ).map((item) => assignmentOf(scope.accountIdentifier, item));
}
