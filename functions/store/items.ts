import { accountScope, organizationScope, projectScope, type Scope, scopePath } from '../core/scope.js';
import type { EntityName } from './keys.js';
import { encodeTags, type StoredTags } from './tag-codec.js';

/**
 * What every entity codec (`entities/*.ts`) shares when it builds an item, see `docs/data-model.md`.
 *
 * Every domain field is its own attribute (nested data as maps and lists, never JSON strings); a
 * scope is stored as the `scope` map plus its `scopePath` string. Optional domain fields are left
 * out when absent, so no item carries `undefined`. Decoding (`item-reader.ts`) rebuilds the exact
 * domain shapes and drops every store-only attribute (keys, `entity`, `version`, timestamps).
 */

/** An item of the table: any attributes plus the primary key and the `entity` discriminator. */
export type StoredItem = Record<string, unknown> & { PK: string; SK: string; entity: EntityName };

/** Bookkeeping attributes of a versioned entity item: creation and modification times and its version. */
export interface ItemMeta {
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly version: number;
}

/** A domain object read from an item, with the item's bookkeeping (needed for an optimistic `replace`). */
export interface Versioned<T> {
  readonly value: T;
  readonly meta: ItemMeta;
}

/** A copy of a scope holding exactly the fields of its level. */
export function plainScope(scope: Scope): Scope {
  switch (scope.level) {
    case 'account':
      return accountScope(scope.accountIdentifier);
    case 'organization':
      return organizationScope(scope.accountIdentifier, scope.orgIdentifier);
    case 'project':
      return projectScope(scope.accountIdentifier, scope.orgIdentifier, scope.projectIdentifier);
  }
}

/** Throws unless `scope` belongs to the account whose partition the item goes to. */
export function checkAccount(accountId: string, scope: Scope, what: string): void {
  if (scope.accountIdentifier !== accountId) {
    throw new Error(`${what} at ${scopePath(scope)} does not belong to account ${JSON.stringify(accountId)}`);
  }
}

/** Throws unless `value` is a finite number (a time or duration in milliseconds). */
export function checkTime(what: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) throw new Error(`${what} must be a finite number`);
}

/** The `scope` and `scopePath` attributes of a scoped item. */
export function scopeAttributes(scope: Scope): { scope: Scope; scopePath: string } {
  return { scope: plainScope(scope), scopePath: scopePath(scope) };
}

/** The bookkeeping attributes, copied from `meta`. */
export function metaAttributes(meta: ItemMeta): ItemMeta {
  return { version: meta.version, createdAt: meta.createdAt, lastModifiedAt: meta.lastModifiedAt };
}

/** `{ [name]: value }` when `value` is defined, `{}` otherwise (optional attributes are omitted). */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** The stored form of a tag map (`tag-codec.ts`), or `undefined`. */
export function copyTags(tags: Readonly<Record<string, string>> | undefined): StoredTags | undefined {
  return tags === undefined ? undefined : encodeTags(tags);
}
