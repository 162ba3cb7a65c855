import type { ChangeOperation } from '../change-log.js';
import { serviceAccountSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The service account entity's key-level operations (codec: `serviceAccountItem`/`serviceAccountFromItem`). */

/** The stored item of the service account `identifier`. */
export function findServiceAccountItem(
  items: AccountItemMap,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(serviceAccountSk(identifier));
}

/** Whether the service account `identifier` is stored. */
export function hasServiceAccount(items: AccountItemMap, identifier: string): boolean {
  return items.has(serviceAccountSk(identifier));
}

/** The operation that deletes the service account `identifier`. */
export function serviceAccountDeletion(identifier: string): ChangeOperation {
  return { kind: 'delete', sk: serviceAccountSk(identifier) };
}
