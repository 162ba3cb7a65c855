import { randomBytes } from 'node:crypto';
import type { ChangeOperation } from './change-log.js';
import {
  type StoredUserGroup,
  type StoredUserGroupHead,
  type StoredUserGroupHeadRecord,
  type StoredUserGroupRecord,
  userGroupItem,
  userGroupMemberItem,
} from './entities/user-groups.js';
import type { ItemMeta } from './items.js';
import { userGroupMemberSk, userGroupMembersPrefix, userGroupSk } from './keys.js';

/**
 * The writes of a user group and its members (DESIGN §5, `docs/data-model.md` "User groups"): the
 * group's own item and one item per member under the group's incarnation. A small change of the
 * member set is a few member creates and deletes beside the group's replace; a large one (a create
 * with many members, or a replace that changes many) gives the group a new incarnation whose
 * members are `stage` operations — items nothing points at until the group's own item switches to
 * them, so `writeAccount` may write them before its transaction and the switch stays atomic.
 */

/** Member changes up to this many are made in place (creates and deletes under the current incarnation). */
export const IN_PLACE_MEMBER_CHANGES = 80;

/** A new random incarnation id (16 base64url characters; never contains the key separator). */
export function newIncarnation(): string {
  return randomBytes(12).toString('base64url');
}

function memberItem(accountId: string, group: StoredUserGroupHead, incarnation: string, userId: string) {
  return userGroupMemberItem(accountId, {
    groupScope: group.scope,
    groupIdentifier: group.identifier,
    incarnation,
    userId,
  });
}

/** The members of a new incarnation as operations: staged when there are many, plain creates otherwise. */
function newMembers(
  accountId: string,
  group: StoredUserGroup,
  incarnation: string,
  users: readonly string[],
  inPlaceLimit: number = IN_PLACE_MEMBER_CHANGES,
): ChangeOperation[] {
  const range = userGroupMembersPrefix(incarnation);
  const stage = users.length > inPlaceLimit;
  return users.map((userId) => {
    const item = memberItem(accountId, group, incarnation, userId);
    return stage ? { kind: 'stage', item, range } : { kind: 'create', item };
  });
}

/** Creating `group` (its members distinct) under a new incarnation. */
export function userGroupCreate(
  accountId: string,
  group: StoredUserGroup,
  meta: ItemMeta,
  incarnation: string = newIncarnation(),
): ChangeOperation[] {
  return [
    ...newMembers(accountId, group, incarnation, [...new Set(group.users)]),
    { kind: 'create', item: userGroupItem(accountId, { ...group, incarnation }, meta) },
  ];
}

/**
 * Replacing the stored group `current` by `next` (same scope and identifier; members distinct). Up to
 * {@link IN_PLACE_MEMBER_CHANGES} member changes are made in place; more give the group a new
 * incarnation with all of `next`'s members staged, and the old incarnation's members are retired.
 */
export function userGroupReplace(
  accountId: string,
  current: StoredUserGroupRecord,
  next: StoredUserGroup,
  meta: ItemMeta,
  inPlaceLimit: number = IN_PLACE_MEMBER_CHANGES,
): ChangeOperation[] {
  const before = new Set(current.value.users);
  const after = new Set(next.users);
  const added = [...after].filter((user) => !before.has(user));
  const removed = [...before].filter((user) => !after.has(user));
  const expectedVersion = current.meta.version;
  if (added.length + removed.length <= inPlaceLimit) {
    const { incarnation } = current;
    return [
      ...removed.map(
        (user): ChangeOperation => ({ kind: 'delete', sk: userGroupMemberSk(incarnation, user) }),
      ),
      ...added.map(
        (user): ChangeOperation => ({
          kind: 'create',
          item: memberItem(accountId, next, incarnation, user),
        }),
      ),
      {
        kind: 'replace',
        item: userGroupItem(accountId, { ...next, incarnation }, meta),
        expectedVersion,
      },
    ];
  }
  const incarnation = newIncarnation();
  return [
    ...newMembers(accountId, next, incarnation, [...after], inPlaceLimit),
    {
      kind: 'replace',
      item: userGroupItem(accountId, { ...next, incarnation }, meta),
      expectedVersion,
    },
    ...retiredMembers(current, inPlaceLimit),
  ];
}

/**
 * Deleting the stored group `current`: its own item and its members — deleted with it when they are
 * few, retired (deleted after the commit, granting nothing meanwhile) when many.
 */
export function userGroupDelete(current: StoredUserGroupRecord): ChangeOperation[] {
  return [
    { kind: 'delete', sk: userGroupSk(current.value.scope, current.value.identifier) },
    ...retiredMembers(current),
  ];
}

/** The member items of `current`'s incarnation, as deletes (few) or one retire of the incarnation (many). */
function retiredMembers(
  current: StoredUserGroupRecord,
  inPlaceLimit: number = IN_PLACE_MEMBER_CHANGES,
): ChangeOperation[] {
  const { users } = current.value;
  if (users.length === 0) return [];
  if (users.length <= inPlaceLimit) {
    return users.map((user) => ({ kind: 'delete', sk: userGroupMemberSk(current.incarnation, user) }));
  }
  return [{ kind: 'retire', range: userGroupMembersPrefix(current.incarnation), count: users.length }];
}

/**
 * Adding `userId` to the stored group `current` (nothing when she is a member already): one member
 * item, O(1) and a few hundred bytes whatever the group's size or tags — the group's own item is not
 * rewritten (every commit is conditioned on the account's version, so concurrent writers re-plan
 * anyway).
 */
export function userGroupAddMember(
  accountId: string,
  current: StoredUserGroupHeadRecord,
  userId: string,
  isMember: boolean,
): ChangeOperation[] {
  if (isMember) return [];
  const { value, incarnation } = current;
  return [{ kind: 'create', item: memberItem(accountId, value, incarnation, userId) }];
}

/** Removing `userId` from the stored group `current` (nothing when she is not a member): one member delete, O(1). */
export function userGroupRemoveMember(
  current: StoredUserGroupHeadRecord,
  userId: string,
  isMember: boolean,
): ChangeOperation[] {
  if (!isMember) return [];
  return [{ kind: 'delete', sk: userGroupMemberSk(current.incarnation, userId) }];
}
