import type { ChangeOperation } from '../change-log.js';
import { inviteSk } from '../keys.js';

/** The invite entity's key-level operations (codec: `inviteItem`/`inviteFromItem`). */

/** The operation that deletes the invite `inviteId`. */
export function inviteItemDeletion(inviteId: string): ChangeOperation {
  return { kind: 'delete', sk: inviteSk(inviteId) };
}
