import type { UserGroup, UserGroupHead, UserGroupMember } from '../../core/principal.js';
import { type Scope, scopePath } from '../../core/scope.js';
import { entityAtKey, itemsFiled } from '../indexed-items.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  copyTags,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
  type Versioned,
} from '../items.js';
import { accountPk, ENTITY, userGroupMemberSk, userGroupSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The user group entity: the group's own item (SK `UG#<scopePath>#<identifier>`, everything but its
 * members) and one small member item per member under the group's incarnation
 * (SK `UGMEMBER#<incarnation>#<userId>`), their decoders, and the key-level reads routes need. The
 * writes that plan member changes are in `user-group-writes.ts`.
 */

/** The SSO-link fields of a Harness `UserGroup` (stored and echoed, never acted upon). */
export interface UserGroupSsoFields {
  readonly externallyManaged?: boolean;
  readonly ssoLinked?: boolean;
  readonly linkedSsoId?: string;
  readonly linkedSsoType?: string;
  readonly linkedSsoDisplayName?: string;
  readonly ssoGroupId?: string;
  readonly ssoGroupName?: string;
}

/** A user group with the descriptive fields the API shows beside the domain ones. */
export type StoredUserGroup = UserGroup & {
  readonly description?: string;
  readonly tags?: Record<string, string>;
  /** Harness's SSO-link and SCIM fields, kept as given and returned; nothing here syncs from an SSO provider. */
  readonly sso?: UserGroupSsoFields;
};

/** A stored user group without its members. */
export type StoredUserGroupHead = Omit<StoredUserGroup, 'users'>;

/** A stored user group's own item: the group without members, its bookkeeping and its incarnation. */
export interface StoredUserGroupHeadRecord extends Versioned<StoredUserGroupHead> {
  readonly incarnation: string;
}

/** A stored user group with its members, bookkeeping and the incarnation its members are stored under. */
export interface StoredUserGroupRecord extends Versioned<StoredUserGroup> {
  readonly incarnation: string;
}

/** What reading a group's members needs of the account's state: its identity and the member index. */
export interface GroupMemberSource {
  readonly accountId: string;
  readonly evaluator: {
    readonly index: {
      membersOfIncarnation(incarnation: string): string[];
      hasMember(incarnation: string, userId: string): boolean;
    };
  };
}

const SSO_FLAGS = ['externallyManaged', 'ssoLinked'] as const;
const SSO_TEXTS = [
  'linkedSsoId',
  'linkedSsoType',
  'linkedSsoDisplayName',
  'ssoGroupId',
  'ssoGroupName',
] as const;

/**
 * The item of a user group: its own item under `group.incarnation`, with the descriptive fields
 * (`description`, `tags`, SSO) when the group has them; its members are items of their own
 * ({@link userGroupMemberItem}).
 */
export function userGroupItem(
  accountId: string,
  group: StoredUserGroupHead & { readonly incarnation: string },
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, group.scope, `User group ${group.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: userGroupSk(group.scope, group.identifier),
    entity: ENTITY.UserGroup,
    ...scopeAttributes(group.scope),
    identifier: group.identifier,
    name: group.name,
    incarnation: group.incarnation,
    ...optional('harnessManaged', group.harnessManaged),
    ...metaAttributes(meta),
    ...optional('description', group.description),
    ...optional('tags', copyTags(group.tags)),
    ...optional('sso', group.sso && { ...group.sso }),
  };
}

/**
 * The item of one member of one incarnation of a user group (SK `UGMEMBER#<incarnation>#<userId>`):
 * the group's `scopePath` and `identifier`, the `incarnation` and the `userId` — small (about 150
 * bytes), so a group's size never bounds an item. No version: a member item is only created or deleted.
 */
export function userGroupMemberItem(accountId: string, member: UserGroupMember): StoredItem {
  checkAccount(accountId, member.groupScope, `User group ${member.groupIdentifier}`);
  return {
    PK: accountPk(accountId),
    SK: userGroupMemberSk(member.incarnation, member.userId),
    entity: ENTITY.UserGroupMember,
    scopePath: scopePath(member.groupScope),
    identifier: member.groupIdentifier,
    incarnation: member.incarnation,
    userId: member.userId,
  };
}

/**
 * The items of a user group of the domain shape: its own item under `incarnation` and one member
 * item per distinct member (bulk loads, bootstrap and tests; API writes plan with `user-group-writes.ts`).
 */
export function userGroupItems(
  accountId: string,
  group: UserGroup,
  meta: ItemMeta,
  incarnation: string,
): StoredItem[] {
  const { users, ...head } = group;
  return [
    userGroupItem(accountId, { ...head, incarnation }, meta),
    ...[...new Set(users)].map((userId) =>
      userGroupMemberItem(accountId, {
        groupScope: group.scope,
        groupIdentifier: group.identifier,
        incarnation,
        userId,
      }),
    ),
  ];
}

function headOf(reader: ItemReader, accountId: string): UserGroupHead {
  return {
    identifier: reader.string('identifier'),
    scope: reader.ownScope(accountId),
    name: reader.string('name'),
    incarnation: reader.string('incarnation'),
    ...optional('harnessManaged', reader.optionalBoolean('harnessManaged')),
  };
}

/**
 * The policy head of a `UserGroup` item of account `accountId`: the group without members or
 * descriptive fields, with its incarnation (throws `MalformedItemError`).
 */
export function userGroupPolicyHeadFromItem(accountId: string, item: Record<string, unknown>): UserGroupHead {
  return headOf(new ItemReader(item), accountId);
}

function ssoOf(reader: ItemReader): UserGroupSsoFields | undefined {
  if (reader.item.sso === undefined) return undefined;
  const raw = reader.map('sso');
  const sso: Record<string, string | boolean> = {};
  for (const name of SSO_FLAGS) {
    if (raw[name] !== undefined) sso[name] = reader.boolean(`sso.${name}`, raw[name]);
  }
  for (const name of SSO_TEXTS) {
    if (raw[name] !== undefined) sso[name] = reader.string(`sso.${name}`, raw[name]);
  }
  return sso as UserGroupSsoFields;
}

/**
 * The user group of a `UserGroup` item (SK `UG#…`) without its members: its `description`, `tags`
 * and SSO fields when the item carries them, its incarnation and the item's bookkeeping. O(1),
 * whatever the group's size. Throws `MalformedItemError`.
 */
export function userGroupHeadFromItem(
  accountId: string,
  item: Record<string, unknown>,
): StoredUserGroupHeadRecord {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.UserGroup);
  const { identifier, scope, name, incarnation, harnessManaged } = headOf(reader, accountId);
  return {
    value: {
      identifier,
      scope,
      name,
      ...optional('description', reader.optionalString('description')),
      ...optional('tags', reader.tags('tags')),
      ...optional('harnessManaged', harnessManaged),
      ...optional('sso', ssoOf(reader)),
    },
    meta: reader.meta(),
    incarnation,
  };
}

/**
 * The user group of a `UserGroup` item with its members: those stored under its incarnation, sorted,
 * from the account's member index (O(members)).
 */
export function userGroupFromItem(
  policy: GroupMemberSource,
  item: Record<string, unknown>,
): StoredUserGroupRecord {
  const head = userGroupHeadFromItem(policy.accountId, item);
  const users = policy.evaluator.index.membersOfIncarnation(head.incarnation).sort();
  return { ...head, value: { ...head.value, users } };
}

/** Whether the group of a `UserGroup` item has `userId` among its current members (O(1)). */
export function userGroupItemHasMember(
  policy: GroupMemberSource,
  item: Record<string, unknown>,
  userId: string,
): boolean {
  return typeof item.incarnation === 'string' && policy.evaluator.index.hasMember(item.incarnation, userId);
}

/**
 * The member of a `UserGroupMember` item of account `accountId`; its sort key must match its
 * incarnation and user (throws `MalformedItemError`).
 */
export function userGroupMemberFromItem(accountId: string, item: Record<string, unknown>): UserGroupMember {
  const reader = new ItemReader(item);
  const member: UserGroupMember = {
    groupScope: reader.scopeOfPath(accountId),
    groupIdentifier: reader.string('identifier'),
    incarnation: reader.string('incarnation'),
    userId: reader.string('userId'),
  };
  if (reader.string('SK') !== userGroupMemberSk(member.incarnation, member.userId))
    reader.fail('SK does not match incarnation and userId');
  return member;
}

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
