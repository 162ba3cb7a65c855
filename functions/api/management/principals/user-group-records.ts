import { allUsersGroupFor } from '../../../core/all-users-groups.js';
import { ALL_USERS_GROUP_IDENTIFIERS } from '../../../core/principal.js';
import type { Scope } from '../../../core/scope.js';
import {
  findUserGroupItem,
  type StoredUserGroup,
  type StoredUserGroupHeadRecord,
  type StoredUserGroupRecord,
  type UserGroupSsoFields,
  userGroupFromItem,
  userGroupHeadFromItem,
  userGroupItemsAt,
} from '../../../store/entities/user-groups.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { scopeFieldsOf } from './principal-request.js';

/** The UserGroup DTO of the API (reference §5.7, the fields we keep). */
export interface UserGroupDto {
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
  readonly identifier: string;
  readonly name: string;
  readonly users: string[];
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly harnessManaged: boolean;
  readonly externallyManaged: boolean;
  readonly ssoLinked: boolean;
  readonly isSsoLinked: boolean;
  readonly linkedSsoId?: string;
  readonly linkedSsoType?: string;
  readonly linkedSsoDisplayName?: string;
  readonly ssoGroupId?: string;
  readonly ssoGroupName?: string;
}

/** The SSO fields of a DTO: the stored ones, the flags false when not given. */
function ssoDto(sso: UserGroupSsoFields | undefined) {
  const { externallyManaged = false, ssoLinked = false, ...texts } = sso ?? {};
  return { externallyManaged, ssoLinked, isSsoLinked: ssoLinked, ...texts };
}

/** The DTO of a stored group. */
export function userGroupDto(group: StoredUserGroup): UserGroupDto {
  return {
    ...scopeFieldsOf(group.scope),
    identifier: group.identifier,
    name: group.name,
    users: [...group.users],
    description: group.description ?? '',
    tags: { ...(group.tags ?? {}) },
    harnessManaged: group.harnessManaged ?? false,
    ...ssoDto(group.sso),
  };
}

/**
 * The DTO of the built-in all-users group of `scope`; its members are derived from scope membership
 * (the members of the scope and of its descendants), never stored.
 */
export function allUsersGroupDto(policy: AccountPolicy, scope: Scope): UserGroupDto {
  const descriptor = allUsersGroupFor(scope);
  return {
    ...scopeFieldsOf(scope),
    identifier: descriptor.identifier,
    name: descriptor.name,
    users: policy.evaluator.scopeMembers(scope),
    description: descriptor.description,
    tags: {},
    harnessManaged: true,
    ...ssoDto(undefined),
  };
}

/** True when `identifier` is the built-in all-users group of `scope`'s level. */
export function isAllUsersGroupOf(scope: Scope, identifier: string): boolean {
  return ALL_USERS_GROUP_IDENTIFIERS[scope.level] === identifier;
}

/** The stored group `identifier` defined exactly at `scope`, if any. */
export function findUserGroup(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): StoredUserGroupRecord | undefined {
  const item = findUserGroupItem(policy.items, scope, identifier);
  return item && userGroupFromItem(policy, item);
}

/** The stored group `identifier` defined exactly at `scope` without its members (O(1)), if any. */
export function findUserGroupHead(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): StoredUserGroupHeadRecord | undefined {
  const item = findUserGroupItem(policy.items, scope, identifier);
  return item && userGroupHeadFromItem(policy.accountId, item);
}

/** Whether `userId` is a member of the stored group `group` (O(1)). */
export function isGroupMember(
  policy: AccountPolicy,
  group: StoredUserGroupHeadRecord,
  userId: string,
): boolean {
  return policy.evaluator.index.hasMember(group.incarnation, userId);
}

/** The DTO of group `identifier` as seen at `scope` (the built-in all-users group included), if it exists. */
export function userGroupDtoAt(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): UserGroupDto | undefined {
  if (isAllUsersGroupOf(scope, identifier)) return allUsersGroupDto(policy, scope);
  const found = findUserGroup(policy, scope, identifier);
  return found && userGroupDto(found.value);
}

/** Every group visible at `scope` (the all-users group first, then the stored ones by identifier), as DTOs. */
export function userGroupDtosAt(policy: AccountPolicy, scope: Scope): UserGroupDto[] {
  return [
    allUsersGroupDto(policy, scope),
    ...userGroupsAt(policy, scope)
      .sort((a, b) => a.identifier.localeCompare(b.identifier))
      .map(userGroupDto),
  ];
}

/** Every stored group defined exactly at `scope`. */
export function userGroupsAt(policy: AccountPolicy, scope: Scope): StoredUserGroup[] {
  return userGroupItemsAt(policy.items, scope).map((item) => userGroupFromItem(policy, item).value);
}
