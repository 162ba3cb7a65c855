import {
  type OrganizationScope,
  type ProjectScope,
  type Scope,
  type ScopeLevel,
  scopePath,
} from '../../core/scope.js';
import type { AccountItemMap } from '../entities/entity-items.js';
import { type StoredScope, storedScopeFromItem } from '../entities/scopes.js';
import { entityKey, itemsFiled } from '../indexed-items.js';
import { ENTITY, scopeSk } from '../keys.js';

/**
 * Readers of scope items (the codec is `entities/scopes.ts`): they turn the cached items of an account
 * partition (`AccountPolicy.items`) back into scopes with their details and bookkeeping, so that
 * management reads need no DynamoDB call of their own.
 */

/** The prefix of every scope item's sort key. */
const SCOPE_SK_PREFIX = 'SCOPE#';

/** The stored scope `scope` of the account, or `undefined` when it does not exist. */
export function findStoredScope<S extends Scope>(
  items: AccountItemMap,
  scope: S,
): StoredScope<S> | undefined {
  const item = items.get(scopeSk(scope));
  return item ? { ...storedScopeFromItem(item), scope } : undefined;
}

/**
 * The stored scopes of `level` (organizations or projects) of the account, optionally only the
 * children of `parent`, ordered by scope path (so by organization, then project identifier).
 */
export function listStoredScopes(
  items: AccountItemMap,
  level: 'organization',
  parent?: Scope,
): StoredScope<OrganizationScope>[];
export function listStoredScopes(
  items: AccountItemMap,
  level: 'project',
  parent?: Scope,
): StoredScope<ProjectScope>[];
export function listStoredScopes(items: AccountItemMap, level: ScopeLevel, parent?: Scope): StoredScope[] {
  const parentPrefix = parent ? `${scopePath(parent)}/` : undefined;
  const found: StoredScope[] = [];
  const scopeItems = itemsFiled(items, entityKey(ENTITY.Scope), (item) => item.entity === ENTITY.Scope);
  for (const item of scopeItems) {
    if (!String(item.SK).startsWith(SCOPE_SK_PREFIX)) continue;
    const stored = storedScopeFromItem(item);
    if (stored.scope.level !== level) continue;
    if (parentPrefix && !scopePath(stored.scope).startsWith(parentPrefix)) continue;
    found.push(stored);
  }
  return found.sort((a, b) => compareText(scopePath(a.scope), scopePath(b.scope)));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
