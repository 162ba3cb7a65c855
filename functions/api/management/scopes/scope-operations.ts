import {
  type OrganizationScope,
  type ProjectScope,
  parentScope,
  type Scope,
  scopeOwnIdentifier,
} from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import { ENTITY_IDENTIFIER_PATTERN } from '../../../core/validation/identifier-rules.js';
import type { ScopeDetails } from '../../../store/items.js';
import { scopeSk } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { findStoredScope, listStoredScopes, type StoredScope } from '../../../store/readers/scope-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { requirePermission } from '../require-permission.js';
import { MAX_OPERATIONS_PER_COMMIT, writeAccount } from '../write-account.js';
import { type ManagedScope, type ScopeAction, scopeCreationCheck, scopeEntityCheck } from './scope-access.js';
import { planScopeDeletion } from './scope-cascade.js';
import { creatorPrincipal, planScopeCreation, planScopeUpdate } from './scope-plans.js';
import { DEFAULT_ORGANIZATION_IDENTIFIER } from './scope-responses.js';

/**
 * The organization and project operations behind the HTTP routes, shared by both levels: read,
 * list, create, update and delete, each authorized with the evaluator against the account's current
 * policy (DESIGN §6.1).
 */

/** "organization o" / "project p" for messages. */
function describe(scope: ManagedScope): string {
  return `${scope.level === 'organization' ? 'Organization' : 'Project'} ${scopeOwnIdentifier(scope)}`;
}

/** The request's view of the account with `policy` as its current state. */
function withPolicy(auth: AuthenticatedRequest, policy: AccountPolicy): AuthenticatedRequest {
  return { accountId: auth.accountId, caller: auth.caller, policy };
}

/**
 * Fails with 400 naming `fieldId` unless `value` can name an organization or project (the identifier
 * pattern of reference §8.1, without the reserved-word rule, so a lookup of such a word is a 404).
 */
export function requireAddressableIdentifier(fieldId: string, value: string): string {
  if (!ENTITY_IDENTIFIER_PATTERN.test(value)) {
    throw new InvalidRequestError(`Invalid ${fieldId}`, [
      fieldError(fieldId, 'is not a valid organization or project identifier'),
    ]);
  }
  return value;
}

/**
 * The stored organization or project `scope` when the caller may perform `action` on it: 404 when it
 * does not exist, 403 (`NG_ACCESS_DENIED`) when it exists but the caller lacks `core_<level>_<action>`.
 */
export function requireScopeFor<S extends ManagedScope>(
  auth: AuthenticatedRequest,
  scope: S,
  action: ScopeAction,
): StoredScope<S> {
  const stored = findStoredScope(auth.policy.items, scope);
  if (!stored) throw new NotFoundError(`${describe(scope)} does not exist`);
  requirePermission(auth, scopeEntityCheck(scope, action));
  return stored;
}

/** Options of {@link listScopes}. */
export interface ListScopesOptions {
  /** Only the children of this scope (e.g. the projects of one organization). */
  readonly parent?: Scope;
  /** Case-insensitive substring of the name or the identifier. */
  readonly searchTerm?: string;
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
 * Creates an organization or project in one change: its SCOPE item, the default all-users binding and
 * the creator's admin binding (see `initialAssignments`). 404 when the parent organization does not
 * exist, 403 without `core_<level>_create` at the parent, 409 `DUPLICATE_FIELD` when it exists.
 */
export async function createScope<S extends ManagedScope>(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  scope: S,
  details: ScopeDetails,
): Promise<StoredScope<S>> {
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    const parent = parentScope(scope);
    if (parent) requireExistingScope(policy, parent);
    requirePermission(withPolicy(auth, policy), scopeCreationCheck(scope));
    if (policy.items.has(scopeSk(scope))) {
      const where = scope.level === 'project' ? ` in organization ${scope.orgIdentifier}` : '';
      throw new ConflictError(
        `A ${scope.level} with identifier ${scopeOwnIdentifier(scope)} already exists${where}`,
      );
    }
    const creator = creatorPrincipal(policy.items, auth.caller, scope);
    const { operations, stored } = planScopeCreation(scope, details, context.now(), creator);
    return { operations, result: stored };
  });
}

/**
 * Replaces the name, description and tags of an organization or project (optimistically, on the
 * version read). 404 when it does not exist, 403 without `core_<level>_edit` on it.
 */
export async function updateScope<S extends ManagedScope>(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  scope: S,
  details: ScopeDetails,
): Promise<StoredScope<S>> {
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    const existing = requireScopeFor(withPolicy(auth, policy), scope, 'edit');
    const { operations, stored } = planScopeUpdate(existing, details, context.now());
    return { operations, result: stored };
  });
}

/**
 * Deletes an organization or project and everything in it (see `planScopeDeletion`). 404 when it
 * does not exist, 403 without `core_<level>_delete` on it, 400 naming `identifier` for the account's
 * `default` organization.
 *
 * A large cascade is committed in several transactions. It is authorized against the state before the
 * first of them commits; once one has, the remaining prefixes are planned without re-authorizing (the
 * cascade may well delete the caller's own assignments in that scope) and without a 404.
 */
export async function deleteScope(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  scope: ManagedScope,
): Promise<void> {
  let started = false;
  let lastBatch: readonly string[] = [];
  await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    if (!started && lastBatch.length > 0 && lastBatch.every((sk) => !policy.items.has(sk))) started = true;
    if (!started) {
      requireScopeFor(withPolicy(auth, policy), scope, 'delete');
      if (scope.level === 'organization' && scope.orgIdentifier === DEFAULT_ORGANIZATION_IDENTIFIER) {
        throw new InvalidRequestError('The default organization cannot be deleted', [
          fieldError('identifier', 'the default organization cannot be deleted'),
        ]);
      }
    }
    const operations = planScopeDeletion(auth.accountId, policy.items, scope);
    lastBatch = operations
      .slice(0, MAX_OPERATIONS_PER_COMMIT)
      .flatMap((operation) => (operation.kind === 'delete' ? [operation.sk] : []));
    return { operations, result: undefined };
  });
}
