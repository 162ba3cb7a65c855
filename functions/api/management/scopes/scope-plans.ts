import { defaultAllUsersAssignments } from '../../../core/all-users-groups.js';
import {
  ALL_PROJECT_LEVEL_RESOURCES,
  ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
} from '../../../core/managed-resource-groups.js';
import type { ActingPrincipal, AssignmentPrincipal } from '../../../core/principal.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import { isSelfOrAncestor, parseScopePath } from '../../../core/scope.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import type { AccountItemMap } from '../../../store/entities/entity-items.js';
import { roleAssignmentItem, roleAssignmentKeyItem } from '../../../store/entities/role-assignments.js';
import { type ScopeDetails, type StoredScope, scopeItem } from '../../../store/entities/scopes.js';
import { findServiceAccountItem } from '../../../store/entities/service-accounts.js';
import type { ItemMeta } from '../../../store/items.js';
import type { ManagedScope } from './scope-access.js';

/**
 * Pure planning of organization and project creation and update: the change operations to commit
 * through `writeAccount`, computed from the account's current items. No I/O.
 */

/** The managed role and resource group the creator of a scope is bound to (reference §3.6). */
const CREATOR_BINDINGS = {
  organization: {
    roleIdentifier: '_organization_admin',
    resourceGroupIdentifier: ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
  },
  project: { roleIdentifier: '_project_admin', resourceGroupIdentifier: ALL_PROJECT_LEVEL_RESOURCES },
} as const;

/** A plan together with the scope as it will be stored once the operations are committed. */
export interface ScopePlan<S extends ManagedScope> {
  readonly operations: ChangeOperation[];
  readonly stored: StoredScope<S>;
}

/**
 * The deterministic identifier of the creator's admin assignment of a scope:
 * `_creator_organization_admin` or `_creator_project_admin` (valid, and reserved by its leading `_`).
 */
export function creatorAssignmentIdentifier(scope: ManagedScope): string {
  return `_creator_${scope.level}_admin`;
}

/**
 * The principal the creator of `scope` is bound as (reference §3.6), or `undefined` when the caller
 * cannot be bound there: a user always can; a service account only when it lives at an ancestor of
 * the new scope (a principal may be bound at its own scope or below, DESIGN §3.2).
 */
export function creatorPrincipal(
  items: AccountItemMap,
  caller: ActingPrincipal,
  scope: ManagedScope,
): AssignmentPrincipal | undefined {
  if (caller.type === 'USER') return { type: 'USER', identifier: caller.identifier };
  const item = findServiceAccountItem(items, caller.identifier);
  const home = typeof item?.scopePath === 'string' ? parseScopePath(item.scopePath) : undefined;
  if (!home || !isSelfOrAncestor(home, scope)) return undefined;
  return { type: 'SERVICE_ACCOUNT', identifier: caller.identifier, scopeLevel: home.level };
}

/**
 * The role assignments a new scope starts with: the default viewer binding of its all-users group
 * (DESIGN §3.2) and, when a creator principal is given, the creator's admin binding (reference §3.6:
 * `_organization_admin` on `_all_resources_including_child_scopes` for an organization,
 * `_project_admin` on `_all_project_level_resources` for a project). All are ordinary, deletable
 * assignments.
 */
export function initialAssignments(scope: ManagedScope, creator?: AssignmentPrincipal): RoleAssignment[] {
  const assignments = defaultAllUsersAssignments(scope);
  if (creator) {
    assignments.push({
      identifier: creatorAssignmentIdentifier(scope),
      scope,
      ...CREATOR_BINDINGS[scope.level],
      principal: creator,
      disabled: false,
      managed: false,
    });
  }
  return assignments;
}

/**
 * Creating `scope`: its SCOPE item and its {@link initialAssignments} with their uniqueness guards,
 * all as `create` operations (so a concurrent duplicate fails its condition). The caller checks that
 * the scope does not exist yet and that its parent does.
 */
export function planScopeCreation<S extends ManagedScope>(
  scope: S,
  details: ScopeDetails,
  now: number,
  creator?: AssignmentPrincipal,
): ScopePlan<S> {
  const { accountIdentifier: accountId } = scope;
  const meta: ItemMeta = { createdAt: now, lastModifiedAt: now, version: 1 };
  const operations: ChangeOperation[] = [
    { kind: 'create', item: scopeItem(accountId, scope, details, meta) },
  ];
  for (const assignment of initialAssignments(scope, creator)) {
    operations.push(
      { kind: 'create', item: roleAssignmentItem(accountId, assignment, meta) },
      { kind: 'create', item: roleAssignmentKeyItem(accountId, assignment) },
    );
  }
  return { operations, stored: { scope, details, meta } };
}

/**
 * Replacing the name, description and tags of an existing scope: one `replace` of its SCOPE item
 * conditioned on the version it was read at; `createdAt` is kept, the version moves on by one.
 */
export function planScopeUpdate<S extends ManagedScope>(
  existing: StoredScope<S>,
  details: ScopeDetails,
  now: number,
): ScopePlan<S> {
  const { scope, meta } = existing;
  const next: ItemMeta = { createdAt: meta.createdAt, lastModifiedAt: now, version: meta.version + 1 };
  return {
    operations: [
      {
        kind: 'replace',
        item: scopeItem(scope.accountIdentifier, scope, details, next),
        expectedVersion: meta.version,
      },
    ],
    stored: { scope, details, meta: next },
  };
}

/** The scope details of a parsed body: `null` description and tags count as absent. */
export function scopeDetailsOf(input: {
  name: string;
  description?: string | null | undefined;
  tags?: Record<string, string> | null | undefined;
  color?: string | null | undefined;
  modules?: readonly string[] | null | undefined;
}): ScopeDetails {
  return {
    name: input.name,
    ...(input.description == null ? {} : { description: input.description }),
    ...(input.tags == null ? {} : { tags: { ...input.tags } }),
    ...(input.color == null ? {} : { color: input.color }),
    ...(input.modules == null ? {} : { modules: [...new Set(input.modules)] }),
  };
}
