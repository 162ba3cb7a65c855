import type { Scope } from '../../core/scope.js';
import type { User } from '../../core/user.js';
import { type AccountSettings, accountSettingsFromItem } from '../entities/account-settings.js';
import type { AccountItemMap } from '../entities/entity-items.js';
import { inviteFromItem, type StoredInvite } from '../entities/invites.js';
import { membershipFromItem, userFromItem } from '../entities/users.js';
import { emailKey, entityKey, itemsFiled, userKey } from '../indexed-items.js';
import type { ItemMeta, Versioned } from '../items.js';
import { ACCOUNT_SETTINGS_SK, ENTITY, inviteSk, userSk } from '../keys.js';

/**
 * Readers of users, invites, memberships and the account settings over the items of an account
 * partition the policy cache already holds (no extra round trip), decoded by the entities' codecs
 * (`entities/*.ts`). A damaged item throws `MalformedItemError` naming it (a 503).
 */

/** The user `userId`, or `undefined`. */
export function findUser(items: AccountItemMap, userId: string): Versioned<User> | undefined {
  if (userId.includes('#')) return undefined;
  const item = items.get(userSk(userId));
  return item && userFromItem(item);
}

/** Every user of the account (pending and active). */
export function usersOf(items: AccountItemMap): Versioned<User>[] {
  return itemsFiled(items, entityKey(ENTITY.User), (item) => item.entity === ENTITY.User).map(userFromItem);
}

/** The user with `email` (already normalized), or `undefined`. */
export function findUserByEmail(items: AccountItemMap, email: string): Versioned<User> | undefined {
  return itemsFiled(items, emailKey(email), (item) => item.entity === ENTITY.User && item.email === email)
    .map(userFromItem)
    .find((user) => user.value.email === email);
}

/** The invite `inviteId`, or `undefined`. */
export function findInvite(
  items: AccountItemMap,
  accountId: string,
  inviteId: string,
): Versioned<StoredInvite> | undefined {
  if (inviteId.includes('#')) return undefined;
  const item = items.get(inviteSk(inviteId));
  return item && inviteFromItem(accountId, item);
}

/** Every invite of the account. */
export function invitesOf(items: AccountItemMap, accountId: string): Versioned<StoredInvite>[] {
  return itemsFiled(items, entityKey(ENTITY.Invite), (item) => item.entity === ENTITY.Invite).map((item) =>
    inviteFromItem(accountId, item),
  );
}

/** Every invite of the user `userId`. */
export function invitesOfUser(
  items: AccountItemMap,
  accountId: string,
  userId: string,
): Versioned<StoredInvite>[] {
  return itemsFiled(
    items,
    userKey(ENTITY.Invite, userId),
    (item) => item.entity === ENTITY.Invite && item.userId === userId,
  ).map((item) => inviteFromItem(accountId, item));
}

/** The scopes the user has a membership item at (not the implied ancestors). */
export function membershipScopesOf(items: AccountItemMap, accountId: string, userId: string): Scope[] {
  return itemsFiled(
    items,
    userKey(ENTITY.Membership, userId),
    (item) => item.entity === ENTITY.Membership && item.userId === userId,
  ).map((item) => membershipFromItem(accountId, item).scope);
}

/** The account settings, with their bookkeeping when the item exists. */
export function accountSettingsOf(items: AccountItemMap): { value: AccountSettings; meta?: ItemMeta } {
  const item = items.get(ACCOUNT_SETTINGS_SK);
  return item ? accountSettingsFromItem(item) : { value: {} };
}

/**
 * Seats in use (DESIGN §7): active users plus pending users with at least one invite (a pending user
 * whose invites were all deleted holds no seat).
 */
export function seatsInUse(items: AccountItemMap, accountId: string): number {
  const invited = new Set(invitesOf(items, accountId).map((invite) => invite.value.userId));
  return usersOf(items).filter((user) => user.value.status === 'ACTIVE' || invited.has(user.value.userId))
    .length;
}
