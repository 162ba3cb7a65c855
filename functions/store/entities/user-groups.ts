import { type Scope, scopePath } from '../../core/scope.js';
import { entityAtKey, itemsFiled } from '../indexed-items.js';
import { ENTITY, userGroupSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The user group entity's key-level reads (codec: `userGroupItems`/`userGroupHeadFromItem`). */

/** The stored head item of the user group `identifier` of `scope`. */
export function findUserGroupItem(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(userGroupSk(scope, identifier));
}

/** The stored head items of the user groups defined exactly at `scope` (through the item index: O(those groups)). */
export function userGroupItemsAt(items: AccountItemMap, scope: Scope): Record<string, unknown>[] {
  const path = scopePath(scope);
  return itemsFiled(
    items,
    entityAtKey(ENTITY.UserGroup, path),
    (item) => item.entity === ENTITY.UserGroup && item.scopePath === path,
  );
}
