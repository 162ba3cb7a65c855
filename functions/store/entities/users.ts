import type { ScopeMembership } from '../../core/policy-snapshot.js';
import type { Scope } from '../../core/scope.js';
import { USER_STATUSES, type User } from '../../core/user.js';
import type { ChangeOperation } from '../change-log.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
  type Versioned,
} from '../items.js';
import { accountPk, ENTITY, membershipSk, membersOfScopeGsi1Pk, userSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The user and scope membership entities: a user of the account (SK `USER#<userId>`) and her
 * membership of each scope she was added to (SK `MEMBER#<userId>#<scopePath>`), their items and
 * decoders, and the key-level operations routes need.
 */

/** The item of a user (SK `USER#<userId>`). */
export function userItem(accountId: string, user: User, meta: ItemMeta): StoredItem {
  return {
    PK: accountPk(accountId),
    SK: userSk(user.userId),
    entity: ENTITY.User,
    userId: user.userId,
    email: user.email,
    status: user.status,
    ...optional('name', user.name),
    ...metaAttributes(meta),
  };
}

/** The user of a `User` item and its bookkeeping (throws `MalformedItemError`). */
export function userFromItem(item: Record<string, unknown>): Versioned<User> {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.User);
  const status = reader.oneOf('status', USER_STATUSES);
  const name = reader.optionalString('name');
  return {
    value: {
      userId: reader.string('userId'),
      email: reader.string('email'),
      status,
      ...optional('name', name),
    },
    meta: reader.meta(),
  };
}

/**
 * The item of a user's membership of a scope (SK `MEMBER#<userId>#<scopePath>`), indexed in GSI1
 * under the scope (`GSI1SK = <userId>`) for management lookups.
 */
export function membershipItem(accountId: string, userId: string, scope: Scope, meta: ItemMeta): StoredItem {
  checkAccount(accountId, scope, `Membership of ${userId}`);
  return {
    PK: accountPk(accountId),
    SK: membershipSk(userId, scope),
    entity: ENTITY.Membership,
    GSI1PK: membersOfScopeGsi1Pk(accountId, scope),
    GSI1SK: userId,
    userId,
    ...scopeAttributes(scope),
    ...metaAttributes(meta),
  };
}

/** The membership of a `Membership` item of account `accountId` (throws `MalformedItemError`). */
export function membershipFromItem(accountId: string, item: Record<string, unknown>): ScopeMembership {
  const reader = new ItemReader(item);
  return { userId: reader.string('userId'), scope: reader.ownScope(accountId) };
}

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
