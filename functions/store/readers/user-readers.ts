import { INVITE_STATES, type InviteState } from '../../core/invite.js';
import { parseScopePath, type Scope } from '../../core/scope.js';
import { USER_STATUSES, type User, type UserStatus } from '../../core/user.js';
import { emailKey, entityKey, itemsFiled, userKey } from '../indexed-items.js';
import type { ItemMeta } from '../items.js';
import { ACCOUNT_SETTINGS_SK, ENTITY, inviteSk, userSk } from '../keys.js';
import type { AccountSettings, RoleBinding, StoredInvite } from '../user-items.js';

/**
 * Item → domain readers for users, invites, memberships and the account settings, over the items
 * of an account partition the policy cache already holds (no extra round trip). A malformed item
 * throws an error naming it.
 */

/** The items of an account partition by sort key. */
export type AccountItems = ReadonlyMap<string, Record<string, unknown>>;

/** A record with the bookkeeping of its item (for optimistic `replace`). */
export interface Versioned<T> {
  readonly value: T;
  readonly meta: ItemMeta;
}

function fail(item: Record<string, unknown>, message: string): never {
  throw new Error(`Malformed ${String(item.entity)} item SK=${String(item.SK)}: ${message}`);
}

function stringOf(item: Record<string, unknown>, name: string, value: unknown = item[name]): string {
  if (typeof value !== 'string') fail(item, `${name} is not a string`);
  return value;
}

function numberOf(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(item, `${name} is not a finite number`);
  return value;
}

function metaOf(item: Record<string, unknown>): ItemMeta {
  return {
    version: numberOf(item, 'version'),
    createdAt: numberOf(item, 'createdAt'),
    lastModifiedAt: numberOf(item, 'lastModifiedAt'),
  };
}

function scopeOf(item: Record<string, unknown>, accountId: string): Scope {
  const scope = parseScopePath(stringOf(item, 'scopePath'));
  if (!scope || scope.accountIdentifier !== accountId) fail(item, 'scopePath is not a scope of the account');
  return scope;
}

/** The user of a `User` item (SK `USER#<userId>`) and its bookkeeping. */
export function userFromItem(item: Record<string, unknown>): Versioned<User> {
  if (item.entity !== ENTITY.User) fail(item, 'not a User item');
  const status = stringOf(item, 'status');
  if (!(USER_STATUSES as readonly string[]).includes(status)) fail(item, 'status is not a user status');
  const name = item.name === undefined ? undefined : stringOf(item, 'name');
  return {
    value: {
      userId: stringOf(item, 'userId'),
      email: stringOf(item, 'email'),
      status: status as UserStatus,
      ...(name === undefined ? {} : { name }),
    },
    meta: metaOf(item),
  };
}

function roleBindingsOf(item: Record<string, unknown>): RoleBinding[] {
  const value = item.roleBindings;
  if (!Array.isArray(value)) fail(item, 'roleBindings is not a list');
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) fail(item, `roleBindings[${index}] is not a map`);
    const binding = entry as Record<string, unknown>;
    return {
      roleIdentifier: stringOf(item, `roleBindings[${index}].roleIdentifier`, binding.roleIdentifier),
      resourceGroupIdentifier: stringOf(
        item,
        `roleBindings[${index}].resourceGroupIdentifier`,
        binding.resourceGroupIdentifier,
      ),
    };
  });
}

/** The invite of an `Invite` item (SK `INVITE#<inviteId>`) and its bookkeeping. */
export function inviteFromItem(accountId: string, item: Record<string, unknown>): Versioned<StoredInvite> {
  if (item.entity !== ENTITY.Invite) fail(item, 'not an Invite item');
  const state = stringOf(item, 'state');
  if (!(INVITE_STATES as readonly string[]).includes(state)) fail(item, 'state is not an invite state');
  const userGroups = item.userGroups;
  if (!Array.isArray(userGroups) || userGroups.some((group) => typeof group !== 'string'))
    fail(item, 'userGroups is not a list of strings');
  return {
    value: {
      inviteId: stringOf(item, 'inviteId'),
      email: stringOf(item, 'email'),
      userId: stringOf(item, 'userId'),
      scope: scopeOf(item, accountId),
      userGroups: userGroups as string[],
      roleBindings: roleBindingsOf(item),
      createdAt: numberOf(item, 'createdAt'),
      lastSentAt: numberOf(item, 'lastSentAt'),
      state: state as InviteState,
      tokenHash: stringOf(item, 'tokenHash'),
      invitedBy: stringOf(item, 'invitedBy'),
    },
    meta: metaOf(item),
  };
}

/** The user `userId`, or `undefined`. */
export function findUser(items: AccountItems, userId: string): Versioned<User> | undefined {
  if (userId.includes('#')) return undefined;
  const item = items.get(userSk(userId));
  return item && userFromItem(item);
}

/** Every user of the account (pending and active). */
export function usersOf(items: AccountItems): Versioned<User>[] {
  return itemsFiled(items, entityKey(ENTITY.User), (item) => item.entity === ENTITY.User).map(userFromItem);
}

/** The user with `email` (already normalized), or `undefined`. */
export function findUserByEmail(items: AccountItems, email: string): Versioned<User> | undefined {
  return itemsFiled(items, emailKey(email), (item) => item.entity === ENTITY.User && item.email === email)
    .map(userFromItem)
    .find((user) => user.value.email === email);
}

/** The invite `inviteId`, or `undefined`. */
export function findInvite(
  items: AccountItems,
  accountId: string,
  inviteId: string,
): Versioned<StoredInvite> | undefined {
  if (inviteId.includes('#')) return undefined;
  const item = items.get(inviteSk(inviteId));
  return item && inviteFromItem(accountId, item);
}

/** Every invite of the account. */
export function invitesOf(items: AccountItems, accountId: string): Versioned<StoredInvite>[] {
  return itemsFiled(items, entityKey(ENTITY.Invite), (item) => item.entity === ENTITY.Invite).map((item) =>
    inviteFromItem(accountId, item),
  );
}

/** Every invite of the user `userId`. */
export function invitesOfUser(
  items: AccountItems,
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
export function membershipScopesOf(items: AccountItems, accountId: string, userId: string): Scope[] {
  return itemsFiled(
    items,
    userKey(ENTITY.Membership, userId),
    (item) => item.entity === ENTITY.Membership && item.userId === userId,
  ).map((item) => scopeOf(item, accountId));
}

/** The account settings, with their bookkeeping when the item exists. */
export function accountSettingsOf(items: AccountItems): { value: AccountSettings; meta?: ItemMeta } {
  const item = items.get(ACCOUNT_SETTINGS_SK);
  if (!item) return { value: {} };
  const maxUsers = item.maxUsers === undefined ? undefined : numberOf(item, 'maxUsers');
  const auditRetentionMonths =
    item.auditRetentionMonths === undefined ? undefined : numberOf(item, 'auditRetentionMonths');
  return {
    value: {
      ...(maxUsers === undefined ? {} : { maxUsers }),
      ...(auditRetentionMonths === undefined ? {} : { auditRetentionMonths }),
    },
    meta: metaOf(item),
  };
}

/**
 * Seats in use (DESIGN §7): active users plus pending users with at least one invite (a pending user
 * whose invites were all deleted holds no seat).
 */
export function seatsInUse(items: AccountItems, accountId: string): number {
  const invited = new Set(invitesOf(items, accountId).map((invite) => invite.value.userId));
  return usersOf(items).filter((user) => user.value.status === 'ACTIVE' || invited.has(user.value.userId))
    .length;
}
