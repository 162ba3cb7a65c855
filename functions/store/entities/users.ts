import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { membershipSk, userSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The user and scope membership entities' key-level operations (codecs: `userItem`, `membershipItem`
 * and their readers): a user of the account, and her membership of each scope she was added to.
 */

/** Whether the user `userId` is stored. */
export function hasUser(items: AccountItemMap, userId: string): boolean {
  return items.has(userSk(userId));
}

/** The operation that deletes the user `userId`. */
export function userDeletion(userId: string): ChangeOperation {
  return { kind: 'delete', sk: userSk(userId) };
}

/** Whether `userId` was added to `scope` itself (not through a descendant). */
export function hasMembership(items: AccountItemMap, userId: string, scope: Scope): boolean {
  return items.has(membershipSk(userId, scope));
}

/** The operation that deletes `userId`'s membership of `scope`. */
export function membershipDeletion(userId: string, scope: Scope): ChangeOperation {
  return { kind: 'delete', sk: membershipSk(userId, scope) };
}
