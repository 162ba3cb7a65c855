import {
  accountScope,
  organizationScope,
  parseScopePath,
  projectScope,
  SCOPE_LEVELS,
  type Scope,
  type ScopeLevel,
} from '../core/scope.js';
import type { ItemMeta, Versioned } from './items.js';
import { decodeTags } from './tag-codec.js';

/**
 * The one decoding vocabulary of stored items: every entity codec (`entities/*.ts`) reads its item's
 * attributes through an {@link ItemReader}, so a damaged item fails the same way on every path — a
 * {@link MalformedItemError} naming the item and the attribute. The policy path catches it (the item
 * grants nothing and is reported); a management read lets it through, and the HTTP layer answers 503.
 */

/**
 * A stored item that does not decode: an attribute missing or of the wrong type, a scope of another
 * account, keys that disagree with the content. Nothing can be decided from it, so a request that
 * needs it answers 503 (`store-unavailable.ts`), never a guess and never a 500.
 */
export class MalformedItemError extends Error {
  override readonly name = 'MalformedItemError';
}

/** Reads attributes of one item, throwing a {@link MalformedItemError} that names the item when one is malformed. */
export class ItemReader {
  /** @param item - The stored item (any attributes; nothing about it is assumed). */
  constructor(readonly item: Record<string, unknown>) {}

  /** Throws the {@link MalformedItemError} of this item with `message`. */
  fail(message: string): never {
    throw new MalformedItemError(
      `Malformed ${String(this.item.entity)} item PK=${String(this.item.PK)} SK=${String(this.item.SK)}: ${message}`,
    );
  }

  /** Throws unless the item's `entity` is `entity`. */
  expectEntity(entity: string): void {
    if (this.item.entity !== entity) this.fail(`not a ${entity} item`);
  }

  /** The string `name` (or `value`). */
  string(name: string, value: unknown = this.item[name]): string {
    if (typeof value !== 'string') this.fail(`${name} is not a string`);
    return value;
  }

  /** The string `name` (or `value`), `undefined` when absent. */
  optionalString(name: string, value: unknown = this.item[name]): string | undefined {
    return value === undefined ? undefined : this.string(name, value);
  }

  /** The string `name` (or `value`), which must be one of `values`. */
  oneOf<T extends string>(name: string, values: readonly T[], value: unknown = this.item[name]): T {
    const text = this.string(name, value);
    if (!(values as readonly string[]).includes(text))
      this.fail(`${name} is not one of ${values.join(', ')}`);
    return text as T;
  }

  /** The boolean `name` (or `value`). */
  boolean(name: string, value: unknown = this.item[name]): boolean {
    if (typeof value !== 'boolean') this.fail(`${name} is not a boolean`);
    return value;
  }

  /** The boolean `name` (or `value`), `undefined` when absent. */
  optionalBoolean(name: string, value: unknown = this.item[name]): boolean | undefined {
    return value === undefined ? undefined : this.boolean(name, value);
  }

  /** The finite number `name` (or `value`). */
  number(name: string, value: unknown = this.item[name]): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${name} is not a finite number`);
    return value;
  }

  /** The finite number `name` (or `value`), `undefined` when absent. */
  optionalNumber(name: string, value: unknown = this.item[name]): number | undefined {
    return value === undefined ? undefined : this.number(name, value);
  }

  /** The map `name` (or `value`): an object that is not a list. */
  map(name: string, value: unknown = this.item[name]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${name} is not a map`);
    return value as Record<string, unknown>;
  }

  /** The list `name` (or `value`). */
  list(name: string, value: unknown = this.item[name]): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(`${name} is not a list`);
    return value;
  }

  /** The list of strings `name` (or `value`), copied. */
  strings(name: string, value: unknown = this.item[name]): string[] {
    return this.list(name, value).map((entry, index) => this.string(`${name}[${index}]`, entry));
  }

  /** The list of strings `name` (or `value`), `undefined` when absent. */
  optionalStrings(name: string, value: unknown = this.item[name]): string[] | undefined {
    return value === undefined ? undefined : this.strings(name, value);
  }

  /** The tag map `name` (or `value`) in either stored form (`tag-codec.ts`), `undefined` when absent. */
  tags(name: string, value: unknown = this.item[name]): Record<string, string> | undefined {
    if (value === undefined) return undefined;
    const decoded = decodeTags(value);
    if ('problem' in decoded) this.fail(decoded.problem);
    return decoded.tags;
  }

  /** The scope level `name` (or `value`). */
  scopeLevel(name: string, value: unknown = this.item[name]): ScopeLevel {
    const level = this.string(name, value);
    if (!(SCOPE_LEVELS as readonly string[]).includes(level)) this.fail(`${name} is not a scope level`);
    return level as ScopeLevel;
  }

  /** The list of scope levels `name` (or `value`). */
  scopeLevels(name: string, value: unknown = this.item[name]): ScopeLevel[] {
    return this.list(name, value).map((entry, index) => this.scopeLevel(`${name}[${index}]`, entry));
  }

  /** The scope map `name` (or `value`), holding exactly the fields of its level. */
  scope(name: string, value: unknown = this.item[name]): Scope {
    const raw = this.map(name, value);
    const level = this.scopeLevel(`${name}.level`, raw.level);
    const account = this.string(`${name}.accountIdentifier`, raw.accountIdentifier);
    if (level === 'account') return accountScope(account);
    const org = this.string(`${name}.orgIdentifier`, raw.orgIdentifier);
    if (level === 'organization') return organizationScope(account, org);
    return projectScope(account, org, this.string(`${name}.projectIdentifier`, raw.projectIdentifier));
  }

  /** The item's `scope` map, which must belong to `accountId`. */
  ownScope(accountId: string): Scope {
    const scope = this.scope('scope');
    if (scope.accountIdentifier !== accountId) this.fail('scope belongs to another account');
    return scope;
  }

  /** The scope the item's `scopePath` names, which must belong to `accountId`. */
  scopeOfPath(accountId: string): Scope {
    const scope = parseScopePath(this.string('scopePath'));
    if (!scope) this.fail('scopePath is not a scope path');
    if (scope.accountIdentifier !== accountId) this.fail('scope belongs to another account');
    return scope;
  }

  /** The bookkeeping attributes (`version`, `createdAt`, `lastModifiedAt`), each a finite number. */
  meta(): ItemMeta {
    return {
      version: this.number('version'),
      createdAt: this.number('createdAt'),
      lastModifiedAt: this.number('lastModifiedAt'),
    };
  }
}

/** The bookkeeping of a versioned item (throws {@link MalformedItemError} when an attribute is missing). */
export function itemMetaOf(item: Record<string, unknown>): ItemMeta {
  return new ItemReader(item).meta();
}

/** `value` (decoded from `item`) with the item's bookkeeping. */
export function versioned<T>(item: Record<string, unknown>, value: T): Versioned<T> {
  return { value, meta: itemMetaOf(item) };
}
