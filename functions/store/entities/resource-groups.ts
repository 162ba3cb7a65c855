import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { resourceGroupSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The custom resource group entity's key-level operations (codec: `customResourceGroupItem`). */

/** Whether a custom resource group with `identifier` is stored at `scope`. */
export function hasCustomResourceGroup(items: AccountItemMap, scope: Scope, identifier: string): boolean {
  return items.has(resourceGroupSk(scope, identifier));
}

/** The operation that deletes the custom resource group `identifier` of `scope`. */
export function customResourceGroupDeletion(scope: Scope, identifier: string): ChangeOperation {
  return { kind: 'delete', sk: resourceGroupSk(scope, identifier) };
}
