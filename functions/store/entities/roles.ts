import type { CustomRole } from '../../core/role.js';
import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
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
import { accountPk, ENTITY, roleSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The custom role entity: its key, its item and its decoder, and the key-level operations routes need. */

/** The item of a custom role (SK `ROLE#<scopePath>#<identifier>`). */
export function customRoleItem(accountId: string, role: CustomRole, meta: ItemMeta): StoredItem {
  checkAccount(accountId, role.scope, `Role ${role.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: roleSk(role.scope, role.identifier),
    entity: ENTITY.Role,
    ...scopeAttributes(role.scope),
    identifier: role.identifier,
    name: role.name,
    ...optional('description', role.description),
    ...optional('tags', copyTags(role.tags)),
    permissions: [...role.permissions],
    allowedScopeLevels: [...role.allowedScopeLevels],
    harnessManaged: false,
    ...metaAttributes(meta),
  };
}

/** The custom role of a `Role` item of account `accountId` (its domain shape; throws `MalformedItemError`). */
export function customRoleFromItem(accountId: string, item: Record<string, unknown>): CustomRole {
  const reader = new ItemReader(item);
  return {
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('tags', reader.tags('tags')),
    permissions: reader.strings('permissions'),
    allowedScopeLevels: reader.scopeLevels('allowedScopeLevels'),
    harnessManaged: false,
    scope: reader.ownScope(accountId),
  };
}

/** The stored item of the custom role `identifier` of `scope`. */
export function findCustomRoleItem(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(roleSk(scope, identifier));
}

/** Whether a custom role with `identifier` is stored at `scope`. */
export function hasCustomRole(items: AccountItemMap, scope: Scope, identifier: string): boolean {
  return items.has(roleSk(scope, identifier));
}

/** The operation that deletes the custom role `identifier` of `scope`. */
export function customRoleDeletion(scope: Scope, identifier: string): ChangeOperation {
  return { kind: 'delete', sk: roleSk(scope, identifier) };
}
