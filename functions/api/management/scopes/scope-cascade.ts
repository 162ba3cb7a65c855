import type { RoleAssignment } from '../../../core/role-assignment.js';
import {
  ancestorAtLevel,
  levelRank,
  parseScopePath,
  type ScopePath,
  scopePath,
} from '../../../core/scope.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import type { AccountItemMap } from '../../../store/entities/entity-items.js';
import { roleAssignmentDeletions, roleAssignmentFromItem } from '../../../store/entities/role-assignments.js';
import { ENTITY } from '../../../store/keys.js';
import type { ManagedScope } from './scope-access.js';

/**
 * Pure planning of the cascade that deletes an organization or a project (DESIGN §3.3 "cascades on
 * delete of … scopes"). The plan is computed from the account's current items every time, so that
 * `writeAccount` can commit it in prefixes and re-plan what is left.
 */

/** The order in which the remaining items of the subtree are deleted: dependants before what they hang on. */
const ENTITY_ORDER: readonly string[] = [
  ENTITY.Token,
  ENTITY.ApiKey,
  ENTITY.ServiceAccount,
  ENTITY.Membership,
  ENTITY.UserGroup,
  ENTITY.Role,
  ENTITY.ResourceGroup,
];

/** Sort-key prefix of the role-assignment uniqueness guards. */
const RAKEY_PREFIX = 'RAKEY#';

/** True when `path` is the subtree's root or lies below it. */
function inSubtree(root: ScopePath, path: unknown): boolean {
  return typeof path === 'string' && (path === root || path.startsWith(`${root}/`));
}

/** The scope path inside a `RAKEY#<scopePath>#…` sort key. */
function rakeyScopePath(sk: string): string | undefined {
  return sk.startsWith(RAKEY_PREFIX) ? sk.split('#')[1] : undefined;
}

function entityRank(entity: unknown): number {
  const rank = ENTITY_ORDER.indexOf(String(entity));
  return rank === -1 ? ENTITY_ORDER.length : rank;
}

/** Deeper scopes first (projects before their organization), then by path for a stable order. */
function scopeItemOrder(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const depth = (item: Record<string, unknown>) => {
    const scope = parseScopePath(String(item.scopePath));
    return scope ? levelRank(scope.level) : 0;
  };
  const byDepth = depth(b) - depth(a);
  if (byDepth !== 0) return byDepth;
  return String(a.SK) < String(b.SK) ? -1 : String(a.SK) > String(b.SK) ? 1 : 0;
}

/**
 * True when an assignment must go with the subtree: it is made inside it, or its principal is a user
 * group living inside it (at `principal.scopeLevel`, by default the assignment's level) or a service
 * account being deleted.
 */
function assignmentGoes(
  root: ScopePath,
  assignment: RoleAssignment,
  deletedServiceAccounts: ReadonlySet<string>,
): boolean {
  if (inSubtree(root, scopePath(assignment.scope))) return true;
  const { principal } = assignment;
  if (principal.type === 'USER_GROUP') {
    const groupScope = ancestorAtLevel(assignment.scope, principal.scopeLevel ?? assignment.scope.level);
    return groupScope !== undefined && inSubtree(root, scopePath(groupScope));
  }
  return principal.type === 'SERVICE_ACCOUNT' && deletedServiceAccounts.has(principal.identifier);
}

/**
 * The delete operations that remove `scope` and everything in it, in commit order:
 *
 * 1. role assignments made inside the subtree, and those elsewhere whose principal is a user group of
 *    the subtree or a service account of it, each preceded by its uniqueness guard (RAKEY), then any
 *    orphaned guard of the subtree;
 * 2. every other item whose `scopePath` lies in the subtree (tokens, API keys, service accounts,
 *    memberships, user groups, roles, resource groups, then anything else), plus the API keys and
 *    tokens of the deleted service accounts wherever they live;
 * 3. the SCOPE items last, projects before their organization.
 *
 * Only items present in `items` are deleted (a delete requires the item to exist). Because every
 * dependant precedes what identifies it, any prefix of the list leaves a state from which this
 * function computes exactly the rest; an empty list means nothing is left.
 */
export function planScopeDeletion(
  accountId: string,
  items: AccountItemMap,
  scope: ManagedScope,
): ChangeOperation[] {
  const root = scopePath(scope);
  const deletedServiceAccounts = new Set<string>();
  const assignmentItems: Record<string, unknown>[] = [];
  const others: Record<string, unknown>[] = [];
  const scopeItems: Record<string, unknown>[] = [];
  for (const item of items.values()) {
    if (item.entity === ENTITY.RoleAssignment) assignmentItems.push(item);
    if (item.entity === ENTITY.ServiceAccount && inSubtree(root, item.scopePath)) {
      deletedServiceAccounts.add(String(item.identifier));
    }
  }
  for (const item of items.values()) {
    if (item.entity === ENTITY.RoleAssignment || item.entity === ENTITY.RoleAssignmentKey) continue;
    if (item.entity === ENTITY.Scope) {
      if (inSubtree(root, item.scopePath)) scopeItems.push(item);
      continue;
    }
    const credentialOfDeletedAccount =
      (item.entity === ENTITY.Token || item.entity === ENTITY.ApiKey) &&
      item.apiKeyType === 'SERVICE_ACCOUNT' &&
      deletedServiceAccounts.has(String(item.parentIdentifier));
    if (inSubtree(root, item.scopePath) || credentialOfDeletedAccount) others.push(item);
  }

  const deletes: string[] = [];
  const planned = new Set<string>();
  const remove = (sk: string) => {
    if (planned.has(sk) || !items.has(sk)) return;
    planned.add(sk);
    deletes.push(sk);
  };
  for (const assignment of assignmentItems.map((item) => roleAssignmentFromItem(accountId, item))) {
    if (!assignmentGoes(root, assignment, deletedServiceAccounts)) continue;
    for (const operation of roleAssignmentDeletions(items, assignment)) {
      if (operation.kind === 'delete') remove(operation.sk);
    }
  }
  for (const sk of items.keys()) {
    if (inSubtree(root, rakeyScopePath(sk))) remove(sk);
  }
  others.sort((a, b) => entityRank(a.entity) - entityRank(b.entity));
  for (const item of others) remove(String(item.SK));
  scopeItems.sort(scopeItemOrder);
  for (const item of scopeItems) remove(String(item.SK));
  return deletes.map((sk) => ({ kind: 'delete', sk }));
}
