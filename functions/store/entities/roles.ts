import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { roleSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The custom role entity's key-level operations (its codec is `customRoleItem`/`customRoleFromItem`). */

/** Whether a custom role with `identifier` is stored at `scope`. */
export function hasCustomRole(items: AccountItemMap, scope: Scope, identifier: string): boolean {
  return items.has(roleSk(scope, identifier));
}

/** The operation that deletes the custom role `identifier` of `scope`. */
export function customRoleDeletion(scope: Scope, identifier: string): ChangeOperation {
  return { kind: 'delete', sk: roleSk(scope, identifier) };
}
