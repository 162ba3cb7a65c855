import type { AccessCheck } from '../../../core/access-check.js';
import {
  type OrganizationScope,
  type ProjectScope,
  type Scope,
  scopeOwnIdentifier,
} from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { ScopeDetails, StoredScope } from '../../../store/entities/scopes.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { scopeExists } from '../../../store/readers/access-readers.js';
import { findStoredScope, listStoredScopes } from '../../../store/readers/scope-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { PermissionNeed } from '../declared-route.js';
import type { WritePlan } from '../write-account.js';
import { type ManagedScope, type ScopeAction, scopeEntityCheck } from './scope-access.js';
import { planScopeDeletion } from './scope-cascade.js';
import { creatorPrincipal, planScopeCreation, planScopeUpdate } from './scope-plans.js';
import { DEFAULT_ORGANIZATION_IDENTIFIER } from './scope-responses.js';

/**
 * The organization and project operations behind the declared routes, shared by both levels: read,
 * list, and the plans of create, update and delete that the routes commit with `write` (DESIGN §6.1).
 */

/** "Organization o" / "Project p" for messages. */
function describe(scope: ManagedScope): string {
  return `${scope.level === 'organization' ? 'Organization' : 'Project'} ${scopeOwnIdentifier(scope)}`;
}

/**
 * The permission a route on an existing organization or project needs: `core_<level>_<action>` on
 * the entity itself ({@link scopeEntityCheck}), with the route's scope being that organization or project.
 */
export function onScopeEntity<S extends ManagedScope>(action: ScopeAction): PermissionNeed<S> {
  return { check: (scope: S): AccessCheck => scopeEntityCheck(scope, action) };
}

/** The stored organization or project `scope` (404 when it does not exist). */
export function requireStoredScope<S extends ManagedScope>(policy: AccountPolicy, scope: S): StoredScope<S> {
  const stored = findStoredScope(policy.items, scope);
  if (!stored) throw new NotFoundError(`${describe(scope)} does not exist`);
  return stored;
}

/** Options of {@link listScopes}. */
export interface ListScopesOptions {
  /** Only the children of this scope (e.g. the projects of one organization). */
  readonly parent?: Scope;
  /** Case-insensitive substring of the name or the identifier. */
  readonly searchTerm?: string | undefined;
}

/**
 * The organizations or projects of the account that the caller may view (`core_<level>_view` on each
 * entity), optionally only those under `parent` and matching `searchTerm`, ordered by identifier.
 */
export function listScopes(
  auth: AuthenticatedRequest,
  level: 'organization',
  options?: ListScopesOptions,
): StoredScope<OrganizationScope>[];
export function listScopes(
  auth: AuthenticatedRequest,
  level: 'project',
  options?: ListScopesOptions,
): StoredScope<ProjectScope>[];
export function listScopes(
  auth: AuthenticatedRequest,
  level: 'organization' | 'project',
  options: ListScopesOptions = {},
): StoredScope<ManagedScope>[] {
  const term = options.searchTerm?.trim().toLowerCase();
  const all: StoredScope<ManagedScope>[] =
    level === 'organization'
      ? listStoredScopes(auth.policy.items, 'organization', options.parent)
      : listStoredScopes(auth.policy.items, 'project', options.parent);
  return all.filter(
    ({ scope, details }) =>
      (!term ||
        details.name.toLowerCase().includes(term) ||
        scopeOwnIdentifier(scope).toLowerCase().includes(term)) &&
      auth.policy.evaluator.check(auth.caller, scopeEntityCheck(scope, 'view')).permitted,
  );
}

/**
 * Creating an organization or project in one change: its SCOPE item, the default all-users binding
 * and the creator's admin binding (see `initialAssignments`); 409 `DUPLICATE_FIELD` when it exists.
 * The route has checked that the parent exists and that the caller may create there.
 */
export function scopeCreation<S extends ManagedScope>(
  policy: AccountPolicy,
  auth: AuthenticatedRequest,
  scope: S,
  details: ScopeDetails,
  now: number,
): WritePlan<StoredScope<S>> {
  if (scopeExists(policy.items, scope)) {
    const where = scope.level === 'project' ? ` in organization ${scope.orgIdentifier}` : '';
    throw new ConflictError(
      `A ${scope.level} with identifier ${scopeOwnIdentifier(scope)} already exists${where}`,
    );
  }
  const creator = creatorPrincipal(policy.items, auth.caller, scope);
  const { operations, stored } = planScopeCreation(scope, details, now, creator);
  return { operations, result: stored };
}

/** Replacing the name, description and tags of an organization or project (optimistically, on the version read). */
export function scopeUpdate<S extends ManagedScope>(
  policy: AccountPolicy,
  scope: S,
  details: ScopeDetails,
  now: number,
): WritePlan<StoredScope<S>> {
  const { operations, stored } = planScopeUpdate(requireStoredScope(policy, scope), details, now);
  return { operations, result: stored };
}

/** 400 naming `identifier` for the account's `default` organization, which cannot be deleted. */
export function requireDeletable(scope: ManagedScope): void {
  if (scope.level === 'organization' && scope.orgIdentifier === DEFAULT_ORGANIZATION_IDENTIFIER) {
    throw new InvalidRequestError('The default organization cannot be deleted', [
      fieldError('identifier', 'the default organization cannot be deleted'),
    ]);
  }
}

/**
 * Deleting an organization or project and everything in it (see `planScopeDeletion`). A cascade
 * larger than one transaction is re-planned after each; `write` authorizes only the first plan (the
 * cascade may delete the caller's own assignments there), so a continued plan finishes the rest.
 */
export function scopeDeletion(policy: AccountPolicy, scope: ManagedScope): WritePlan<true> {
  return { operations: planScopeDeletion(policy.accountId, policy.items, scope), result: true };
}
