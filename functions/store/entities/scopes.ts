import { parseScopePath, type Scope } from '../../core/scope.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  copyTags,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
} from '../items.js';
import { accountPk, ENTITY, scopeSk } from '../keys.js';

/** The scope entity: the account, an organization or a project (SK `SCOPE#<scopePath>`), its item and its decoder. */

/** Descriptive fields of a scope (account, organization or project) item. */
export interface ScopeDetails {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  /** A project's display colour, as the Harness UI sends it (e.g. `#0063F7`); kept and returned, never interpreted. */
  readonly color?: string;
  /** A project's Harness modules (`CD`, `CI`, …); kept and returned, never interpreted. */
  readonly modules?: readonly string[];
}

/** A scope item read back: the scope, its descriptive fields and its bookkeeping. */
export interface StoredScope<S extends Scope = Scope> {
  readonly scope: S;
  readonly details: ScopeDetails;
  readonly meta: ItemMeta;
}

/** The item of a scope: the account, an organization or a project (SK `SCOPE#<scopePath>`). */
export function scopeItem(
  accountId: string,
  scope: Scope,
  details: ScopeDetails,
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, scope, 'Scope');
  return {
    PK: accountPk(accountId),
    SK: scopeSk(scope),
    entity: ENTITY.Scope,
    ...scopeAttributes(scope),
    name: details.name,
    ...optional('description', details.description),
    ...optional('tags', copyTags(details.tags)),
    ...optional('color', details.color),
    ...optional('modules', details.modules === undefined ? undefined : [...details.modules]),
    ...metaAttributes(meta),
  };
}

/**
 * The scope, details and bookkeeping of a `Scope` item (the scope is read from its `scopePath`).
 * Throws `MalformedItemError` when it is not a scope item or is malformed.
 */
export function storedScopeFromItem(item: Record<string, unknown>): StoredScope {
  const reader: ItemReader = new ItemReader(item);
  reader.expectEntity(ENTITY.Scope);
  const scope = parseScopePath(reader.string('scopePath'));
  if (!scope) reader.fail('scopePath is not a scope path');
  return {
    scope,
    details: {
      name: reader.string('name'),
      ...optional('description', reader.optionalString('description')),
      ...optional('tags', reader.tags('tags')),
      ...optional('color', reader.optionalString('color')),
      ...optional('modules', reader.optionalStrings('modules')),
    },
    meta: reader.meta(),
  };
}
