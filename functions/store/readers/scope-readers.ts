import {
  type OrganizationScope,
  type ProjectScope,
  parseScopePath,
  type Scope,
  type ScopeLevel,
  scopePath,
} from '../../core/scope.js';
import { entityKey, itemsFiled } from '../indexed-items.js';
import type { ItemMeta, ScopeDetails } from '../items.js';
import { ENTITY, scopeSk } from '../keys.js';
import { decodeTags } from '../tag-codec.js';

/**
 * Readers of scope items (see `scopeItem` in `items.ts`): they turn the cached items of an account
 * partition (`AccountPolicy.items`) back into scopes with their details and bookkeeping, so that
 * management reads need no DynamoDB call of their own.
 */

/** A scope item read back: the scope, its descriptive fields and its bookkeeping. */
export interface StoredScope<S extends Scope = Scope> {
  readonly scope: S;
  readonly details: ScopeDetails;
  readonly meta: ItemMeta;
}

/** The items of an account partition by sort key, as `AccountPolicy.items` holds them. */
export type AccountItems = ReadonlyMap<string, Record<string, unknown>>;

/** The prefix of every scope item's sort key. */
const SCOPE_SK_PREFIX = 'SCOPE#';

function malformed(item: Record<string, unknown>, message: string): never {
  throw new Error(`Malformed Scope item SK=${String(item.SK)}: ${message}`);
}

function stringListAttribute(item: Record<string, unknown>, name: string): string[] {
  const value = item[name];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    malformed(item, `${name} is not a list of strings`);
  }
  return [...value];
}

function stringAttribute(item: Record<string, unknown>, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') malformed(item, `${name} is not a string`);
  return value;
}

function numberAttribute(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) malformed(item, `${name} is not a finite number`);
  return value;
}

function tagsAttribute(item: Record<string, unknown>): Record<string, string> | undefined {
  if (item.tags === undefined) return undefined;
  const decoded = decodeTags(item.tags);
  if ('problem' in decoded) malformed(item, decoded.problem);
  return decoded.tags;
}

/**
 * The scope, details and bookkeeping of a `Scope` item (the scope is read from its `scopePath`).
 *
 * @throws Error naming the item when it is not a scope item or is malformed.
 */
export function storedScopeFromItem(item: Record<string, unknown>): StoredScope {
  if (item.entity !== ENTITY.Scope) malformed(item, 'not a Scope item');
  const scope = parseScopePath(stringAttribute(item, 'scopePath'));
  if (!scope) malformed(item, 'scopePath is not a scope path');
  const description = item.description === undefined ? undefined : stringAttribute(item, 'description');
  const tags = tagsAttribute(item);
  const color = item.color === undefined ? undefined : stringAttribute(item, 'color');
  const modules = item.modules === undefined ? undefined : stringListAttribute(item, 'modules');
  return {
    scope,
    details: {
      name: stringAttribute(item, 'name'),
      ...(description === undefined ? {} : { description }),
      ...(tags === undefined ? {} : { tags }),
      ...(color === undefined ? {} : { color }),
      ...(modules === undefined ? {} : { modules }),
    },
    meta: {
      createdAt: numberAttribute(item, 'createdAt'),
      lastModifiedAt: numberAttribute(item, 'lastModifiedAt'),
      version: numberAttribute(item, 'version'),
    },
  };
}

/** The stored scope `scope` of the account, or `undefined` when it does not exist. */
export function findStoredScope<S extends Scope>(items: AccountItems, scope: S): StoredScope<S> | undefined {
  const item = items.get(scopeSk(scope));
  return item ? { ...storedScopeFromItem(item), scope } : undefined;
}

/**
 * The stored scopes of `level` (organizations or projects) of the account, optionally only the
 * children of `parent`, ordered by scope path (so by organization, then project identifier).
 */
export function listStoredScopes(
  items: AccountItems,
  level: 'organization',
  parent?: Scope,
): StoredScope<OrganizationScope>[];
export function listStoredScopes(
  items: AccountItems,
  level: 'project',
  parent?: Scope,
): StoredScope<ProjectScope>[];
export function listStoredScopes(items: AccountItems, level: ScopeLevel, parent?: Scope): StoredScope[] {
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
