import type { UserGroup } from '../../core/principal.js';
import type { CustomResourceGroup } from '../../core/resource-group.js';
import type { CustomRole } from '../../core/role.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { parseScopePath, type Scope, scopePath } from '../../core/scope.js';
import { entityAtKey, entityKey, itemsFiled, userKey, usingKey } from '../indexed-items.js';
import { type ItemMeta, snapshotFromItems } from '../items.js';
import {
  ENTITY,
  resourceGroupSk,
  roleAssignmentSk,
  roleAssignmentUniqueSk,
  roleSk,
  scopeSk,
  serviceAccountSk,
  userGroupSk,
} from '../keys.js';

/**
 * Readers from the items of an account partition (`AccountPolicy.items`, by sort key) to the domain
 * shapes the access-management endpoints (roles, resource groups, role assignments) answer with and
 * validate against. They read only what the policy cache already holds: no DynamoDB call.
 */

/** The items of one account partition by sort key, as the policy cache holds them. */
export type PartitionItems = ReadonlyMap<string, Record<string, unknown>>;

/** A domain object read from an item, with the item's bookkeeping (version and times). */
export interface Stored<T> {
  readonly value: T;
  readonly meta: ItemMeta;
}

function numberAttribute(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The `version`, `createdAt` and `lastModifiedAt` of an item (0 where an attribute is missing). */
export function itemMetaOf(item: Record<string, unknown>): ItemMeta {
  return {
    version: numberAttribute(item, 'version'),
    createdAt: numberAttribute(item, 'createdAt'),
    lastModifiedAt: numberAttribute(item, 'lastModifiedAt'),
  };
}

function stored<T>(item: Record<string, unknown>, value: T | undefined): Stored<T> | undefined {
  return value === undefined ? undefined : { value, meta: itemMetaOf(item) };
}

/** The items of one entity whose `scopePath` is exactly the scope's. */
function itemsAt(items: PartitionItems, entity: string, scope: Scope): Record<string, unknown>[] {
  const path = scopePath(scope);
  return itemsFiled(
    items,
    entityAtKey(entity, path),
    (item) => item.entity === entity && item.scopePath === path,
  );
}

function roleOf(accountId: string, item: Record<string, unknown>): Stored<CustomRole> | undefined {
  return stored(item, snapshotFromItems(accountId, [item]).customRoles[0]);
}

function resourceGroupOf(
  accountId: string,
  item: Record<string, unknown>,
): Stored<CustomResourceGroup> | undefined {
  return stored(item, snapshotFromItems(accountId, [item]).customResourceGroups[0]);
}

function assignmentOf(accountId: string, item: Record<string, unknown>): Stored<RoleAssignment> | undefined {
  return stored(item, snapshotFromItems(accountId, [item]).roleAssignments[0]);
}

/** The custom role `identifier` defined at exactly `scope`. */
export function customRoleAt(
  items: PartitionItems,
  scope: Scope,
  identifier: string,
): Stored<CustomRole> | undefined {
  const item = items.get(roleSk(scope, identifier));
  return item && roleOf(scope.accountIdentifier, item);
}

/** Every custom role defined at exactly `scope`. */
export function customRolesAt(items: PartitionItems, scope: Scope): Stored<CustomRole>[] {
  return itemsAt(items, ENTITY.Role, scope).flatMap((item) => roleOf(scope.accountIdentifier, item) ?? []);
}

/** The custom resource group `identifier` defined at exactly `scope`. */
export function customResourceGroupAt(
  items: PartitionItems,
  scope: Scope,
  identifier: string,
): Stored<CustomResourceGroup> | undefined {
  const item = items.get(resourceGroupSk(scope, identifier));
  return item && resourceGroupOf(scope.accountIdentifier, item);
}

/** Every custom resource group defined at exactly `scope`. */
export function customResourceGroupsAt(items: PartitionItems, scope: Scope): Stored<CustomResourceGroup>[] {
  return itemsAt(items, ENTITY.ResourceGroup, scope).flatMap(
    (item) => resourceGroupOf(scope.accountIdentifier, item) ?? [],
  );
}

/** The role assignment `identifier` made at exactly `scope`. */
export function roleAssignmentAt(
  items: PartitionItems,
  scope: Scope,
  identifier: string,
): Stored<RoleAssignment> | undefined {
  const item = items.get(roleAssignmentSk(scope, identifier));
  return item && assignmentOf(scope.accountIdentifier, item);
}

/** Every role assignment made at exactly `scope`. */
export function roleAssignmentsAt(items: PartitionItems, scope: Scope): Stored<RoleAssignment>[] {
  return itemsAt(items, ENTITY.RoleAssignment, scope).flatMap(
    (item) => assignmentOf(scope.accountIdentifier, item) ?? [],
  );
}

/**
 * The identifier of the assignment holding the uniqueness guard (`RAKEY`) of `assignment`, i.e. of an
 * existing assignment with the same scope, role, resource group and principal; `undefined` when free.
 */
export function uniquenessHolder(items: PartitionItems, assignment: RoleAssignment): string | undefined {
  const holder = items.get(roleAssignmentUniqueSk(assignment))?.roleAssignmentIdentifier;
  return typeof holder === 'string' ? holder : undefined;
}

/** Whether the scope exists: the account always does, an organization or project when its item does. */
export function scopeExists(items: PartitionItems, scope: Scope): boolean {
  return scope.level === 'account' || items.has(scopeSk(scope));
}

/** Every existing strict descendant of `scope` (the organizations and projects below it). */
export function descendantScopes(items: PartitionItems, scope: Scope): Scope[] {
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
export function isScopeMember(items: PartitionItems, userId: string, scope: Scope): boolean {
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
  items: PartitionItems,
  scope: Scope,
  identifier: string,
): Omit<UserGroup, 'users'> | undefined {
  const item = items.get(userGroupSk(scope, identifier));
  const group = item && snapshotFromItems(scope.accountIdentifier, [item]).userGroups[0];
  if (!group) return undefined;
  const { users: _users, ...head } = group;
  return head;
}

/** The scope the service account lives at (identifiers are unique within an account). */
export function serviceAccountScopeOf(
  items: PartitionItems,
  accountId: string,
  identifier: string,
): Scope | undefined {
  const item = items.get(serviceAccountSk(identifier));
  return item && snapshotFromItems(accountId, [item]).serviceAccounts[0]?.scope;
}

/** Every role assignment made at exactly `scope` whose role (`field` = `roleIdentifier`) or resource group is `identifier`. */
export function roleAssignmentsUsingAt(
  items: PartitionItems,
  scope: Scope,
  field: 'roleIdentifier' | 'resourceGroupIdentifier',
  identifier: string,
): Stored<RoleAssignment>[] {
  const path = scopePath(scope);
  return itemsFiled(
    items,
    usingKey(field, path, identifier),
    (item) => item.entity === ENTITY.RoleAssignment && item.scopePath === path && item[field] === identifier,
  ).flatMap((item) => assignmentOf(scope.accountIdentifier, item) ?? []);
}
