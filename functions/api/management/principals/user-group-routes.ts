import * as z from 'zod';
import { isAllUsersGroupIdentifier } from '../../../core/principal.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type {
  StoredUserGroup,
  StoredUserGroupRecord,
  UserGroupSsoFields,
} from '../../../store/entities/user-groups.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentsOfPrincipal } from '../../../store/readers/principal-readers.js';
import {
  userGroupAddMember,
  userGroupCreate,
  userGroupDelete,
  userGroupRemoveMember,
  userGroupReplace,
} from '../../../store/user-group-writes.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import {
  descriptionField,
  identifierField,
  nameField,
  opaqueIdField,
  scopeIdField,
  tagsField,
} from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import { requireSameIdentifier } from '../same-identifier.js';
import type { WritePlan } from '../write-account.js';
import {
  adminStateOf,
  requireAccountAdminKept,
  withGroupMembers,
  withoutAssignments,
} from './last-account-admin.js';
import { assignmentDeletes, assignmentNamesGroup } from './principal-cascade.js';
import {
  matchingSearchTerm,
  newMeta,
  nextMeta,
  requireBodyScopeMatches,
  viewableRecords,
} from './principal-request.js';
import {
  allUsersGroupDto,
  findUserGroup,
  findUserGroupHead,
  isAllUsersGroupOf,
  isGroupMember,
  type UserGroupDto,
  userGroupDto,
  userGroupsAt,
} from './user-group-records.js';

/**
 * User group endpoints (reference §5.7, §8.5, DESIGN §6.2): a group lives at the scope of the
 * request's query parameters; its members must be members of that scope (or of a descendant). The
 * built-in all-users groups are listed and readable with their derived members, never writable.
 */

const BASE = '/ng/api/user-groups';
const RESOURCE_TYPE = 'USERGROUP';
const MANAGE = 'core_usergroup_manage';
const VIEW = 'core_usergroup_view';

/**
 * The most members a create or replace may list: a group's members are items of their own, so the
 * bound is the request body ({@link USER_GROUP_BODY_BYTES}), not an item.
 */
export const MAX_USER_GROUP_MEMBERS = 100_000;

/** The largest body of a user-group create or replace: room for {@link MAX_USER_GROUP_MEMBERS} ids of about 30 characters. */
export const USER_GROUP_BODY_BYTES = 4 * 1024 * 1024;

const ssoTextField = z.string().max(1024).nullish();

/** The SSO fields of a body as stored (absent when none is given). */
export function ssoFieldsOf(body: UserGroupBody): UserGroupSsoFields | undefined {
  const sso: Record<string, string | boolean> = {};
  for (const name of [
    'externallyManaged',
    'ssoLinked',
    'linkedSsoId',
    'linkedSsoType',
    'linkedSsoDisplayName',
    'ssoGroupId',
    'ssoGroupName',
  ] as const) {
    const value = body[name];
    if (value != null) sso[name] = value;
  }
  return Object.keys(sso).length > 0 ? (sso as UserGroupSsoFields) : undefined;
}

/** The body of `POST` and `PUT` (reference §5.7 `UserGroup`, the fields we keep). */
export const userGroupBodySchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  users: z.array(opaqueIdField).max(MAX_USER_GROUP_MEMBERS).nullish(),
  description: descriptionField,
  tags: tagsField,
  /** Accepted for compatibility with Harness clients and ignored (no notifications here). */
  notificationConfigs: z.array(z.unknown()).max(100).nullish(),
  /** Only `false` is accepted: harness-managed groups cannot be created or updated. */
  harnessManaged: z.boolean().nullish(),
  /** Harness's SSO-link and SCIM fields: stored and returned as given; no SSO sync happens here. */
  externallyManaged: z.boolean().nullish(),
  ssoLinked: z.boolean().nullish(),
  /** Harness's read-only twin of `ssoLinked`; accepted (clients echo it) and ignored. */
  isSsoLinked: z.boolean().nullish(),
  linkedSsoId: ssoTextField,
  linkedSsoType: ssoTextField,
  linkedSsoDisplayName: ssoTextField,
  ssoGroupId: ssoTextField,
  ssoGroupName: ssoTextField,
  accountIdentifier: scopeIdField,
  orgIdentifier: scopeIdField,
  projectIdentifier: scopeIdField,
});

/** A parsed user group body. */
export type UserGroupBody = z.infer<typeof userGroupBodySchema>;

/** Checks a user-group body against the query scope (400 for another scope, a built-in group or `harnessManaged: true`). */
export function requireWritableBody(scope: Scope, body: UserGroupBody): UserGroupBody {
  requireBodyScopeMatches(scope, body, false);
  if (body.harnessManaged === true) {
    throw new InvalidRequestError('Harness managed user groups cannot be created or updated', [
      fieldError('harnessManaged', 'cannot be true'),
    ]);
  }
  rejectBuiltIn(body.identifier, 'identifier');
  return body;
}

/** 400 for the identifier of a built-in all-users group. */
export function rejectBuiltIn(identifier: string, fieldId: string): void {
  if (isAllUsersGroupIdentifier(identifier)) {
    throw new InvalidRequestError('Harness managed user groups cannot be created, changed or deleted', [
      fieldError(fieldId, `${identifier} is a harness managed user group`),
    ]);
  }
}

/** The distinct users of a body, in order. */
function distinctUsers(body: UserGroupBody): string[] {
  return [...new Set(body.users ?? [])];
}

/** 400 naming `users[i]` for each user that is neither a member of `scope` nor already in the group. */
function requireScopeMembers(
  policy: AccountPolicy,
  scope: Scope,
  users: readonly string[],
  alreadyMembers: readonly string[],
): void {
  const members = new Set([...policy.evaluator.scopeMembers(scope), ...alreadyMembers]);
  const errors: FieldError[] = [];
  for (const [index, user] of users.entries()) {
    if (!members.has(user)) {
      errors.push(fieldError(`users[${index}]`, `user ${user} is not a member of ${scopePath(scope)}`));
    }
  }
  if (errors.length > 0) throw new InvalidRequestError('Users must be members of the scope', errors);
}

/** The stored group or 404. */
function requireGroup(policy: AccountPolicy, scope: Scope, identifier: string): StoredUserGroupRecord {
  const found = findUserGroup(policy, scope, identifier);
  if (!found) throw new NotFoundError(`User group ${identifier} does not exist in ${scopePath(scope)}`);
  return found;
}

/** The stored group without its members (O(1)) or 404. */
function requireGroupHead(policy: AccountPolicy, scope: Scope, identifier: string) {
  const found = findUserGroupHead(policy, scope, identifier);
  if (!found) throw new NotFoundError(`User group ${identifier} does not exist in ${scopePath(scope)}`);
  return found;
}

/** 409 when giving the group `users` as members would take away the last account admin. */
function requireAdminKeptWithMembers(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
  users: readonly string[],
  what: string,
): void {
  const before = adminStateOf(policy);
  requireAccountAdminKept(before, withGroupMembers(before, scope, identifier, users), what);
}

/** The optimistic replace of a stored group by `updated` (its members in place or re-staged), answering with its DTO. */
function replaceGroup(
  policy: AccountPolicy,
  current: StoredUserGroupRecord,
  updated: StoredUserGroup,
  now: number,
): WritePlan<UserGroupDto> {
  return {
    operations: userGroupReplace(policy.accountId, current, updated, nextMeta(current.meta, now)),
    result: userGroupDto(updated),
    sizeField: 'users',
  };
}

/**
 * The plan creating the group of a checked body at `scope` (members given as user ids); shared with
 * the v2 endpoint. The route has checked `core_usergroup_manage` at the scope.
 */
export function userGroupCreation(
  policy: AccountPolicy,
  scope: Scope,
  body: UserGroupBody,
  now: number,
): WritePlan<UserGroupDto> {
  const users = distinctUsers(body);
  if (findUserGroup(policy, scope, body.identifier)) {
    throw new ConflictError(
      `A user group with identifier ${body.identifier} already exists in ${scopePath(scope)}`,
    );
  }
  requireScopeMembers(policy, scope, users, []);
  const sso = ssoFieldsOf(body);
  const group: StoredUserGroup = {
    identifier: body.identifier,
    scope,
    name: body.name,
    users,
    ...(body.description != null ? { description: body.description } : {}),
    ...(body.tags != null ? { tags: body.tags } : {}),
    ...(sso ? { sso } : {}),
  };
  return {
    operations: userGroupCreate(policy.accountId, group, newMeta(now)),
    result: userGroupDto(group),
    sizeField: 'users',
  };
}

/**
 * The plan replacing the group named by `body.identifier` at `scope` with the body (members given as
 * user ids), once the caller is known to hold `core_usergroup_manage` on it. Shared by
 * `PUT /ng/api/user-groups` (Harness: the identifier in the body), its alias
 * `PUT /ng/api/user-groups/{identifier}` and the v2 endpoint.
 */
export function userGroupUpdate(
  policy: AccountPolicy,
  scope: Scope,
  body: UserGroupBody,
  now: number,
): WritePlan<UserGroupDto> {
  const { identifier } = body;
  const users = distinctUsers(body);
  const current = requireGroup(policy, scope, identifier);
  requireScopeMembers(policy, scope, users, current.value.users);
  requireAdminKeptWithMembers(policy, scope, identifier, users, `Updating user group ${identifier}`);
  const { description: _description, tags: _tags, sso: _sso, ...rest } = current.value;
  const sso = ssoFieldsOf(body);
  const updated: StoredUserGroup = {
    ...rest,
    name: body.name,
    users,
    ...(body.description != null ? { description: body.description } : {}),
    ...(body.tags != null ? { tags: body.tags } : {}),
    ...(sso ? { sso } : {}),
  };
  return replaceGroup(policy, current, updated, now);
}

const TAG = 'User groups';
const GROUP = `${BASE}/{identifier}`;
const MEMBER = `${GROUP}/member/{userId}`;

function notFound(identifier: string, scope: Scope): string {
  return `User group ${identifier} does not exist in ${scopePath(scope)}`;
}

/** The permission of the routes on one group: `core_usergroup_manage` (or `_view`) on it. */
const ON_GROUP = { permission: MANAGE, resourceType: RESOURCE_TYPE, on: 'path' } as const;

const createGroup = endpoint({
  method: 'POST',
  path: BASE,
  summary: 'Create a user group',
  tag: TAG,
  body: userGroupBodySchema,
  maxBodyBytes: USER_GROUP_BODY_BYTES,
  needs: { permission: MANAGE, resourceType: RESOURCE_TYPE },
  handle: ({ scope, body, now, write }) => {
    requireWritableBody(scope, body);
    return write((policy) => userGroupCreation(policy, scope, body, now()));
  },
});

const listGroups = endpoint({
  method: 'GET',
  path: BASE,
  summary: 'List user groups at the scope (the built-in all-users group first)',
  tag: TAG,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, page }) => {
    const groups = [
      allUsersGroupDto(auth.policy, scope),
      ...userGroupsAt(auth.policy, scope)
        .sort((a, b) => a.identifier.localeCompare(b.identifier))
        .map(userGroupDto),
    ];
    return page(viewableRecords(auth, scope, RESOURCE_TYPE, VIEW, matchingSearchTerm(request, groups)));
  },
});

const getGroup = endpoint({
  method: 'GET',
  path: GROUP,
  summary: 'Get a user group',
  tag: TAG,
  needs: { permission: VIEW, resourceType: RESOURCE_TYPE, on: 'path' },
  notFound,
  handle: async ({ auth, scope, identifier }) =>
    isAllUsersGroupOf(scope, identifier)
      ? allUsersGroupDto(auth.policy, scope)
      : userGroupDto(requireGroup(auth.policy, scope, identifier).value),
});

/** `PUT /ng/api/user-groups` as Harness serves it: the group named by the body's `identifier`. */
const updateGroup = endpoint({
  method: 'PUT',
  path: BASE,
  summary: 'Update a user group named by the body identifier (as Harness)',
  tag: TAG,
  body: userGroupBodySchema,
  maxBodyBytes: USER_GROUP_BODY_BYTES,
  needs: { permission: MANAGE, resourceType: RESOURCE_TYPE, on: 'body' },
  handle: ({ scope, body, now, write }) => {
    requireWritableBody(scope, body);
    return write((policy) => userGroupUpdate(policy, scope, body, now()));
  },
});

/** `PUT /ng/api/user-groups/{identifier}`: our earlier path, kept as an alias; the body's identifier must be the path's. */
const updateGroupByPath = endpoint({
  method: 'PUT',
  path: GROUP,
  summary: 'Update a user group (our earlier path, an alias of PUT /ng/api/user-groups)',
  tag: TAG,
  body: userGroupBodySchema,
  maxBodyBytes: USER_GROUP_BODY_BYTES,
  needs: ON_GROUP,
  notFound,
  handle: ({ scope, identifier, body, now, write }) => {
    rejectBuiltIn(identifier, 'identifier');
    requireWritableBody(scope, body);
    requireSameIdentifier(body.identifier, identifier);
    return write((policy) => userGroupUpdate(policy, scope, body, now()));
  },
});

const deleteGroup = endpoint({
  method: 'DELETE',
  path: GROUP,
  summary: 'Delete a user group and its role assignments',
  tag: TAG,
  needs: ON_GROUP,
  notFound,
  handle: ({ scope, identifier, write }) => {
    rejectBuiltIn(identifier, 'identifier');
    return write((policy) => {
      const current = requireGroup(policy, scope, identifier);
      const before = adminStateOf(policy);
      const cascaded = roleAssignmentsOfPrincipal(
        policy.accountId,
        policy.items,
        'USER_GROUP',
        identifier,
      ).filter((assignment) => assignmentNamesGroup(assignment, scope, identifier));
      const after = withGroupMembers(withoutAssignments(before, cascaded), scope, identifier, undefined);
      requireAccountAdminKept(before, after, `Deleting user group ${identifier}`);
      return {
        operations: [...assignmentDeletes(policy, cascaded), ...userGroupDelete(current)],
        result: userGroupDto(current.value),
      };
    });
  },
});

const addMember = endpoint({
  method: 'PUT',
  path: MEMBER,
  summary: 'Add a member to a user group',
  tag: TAG,
  needs: ON_GROUP,
  notFound,
  handle: ({ request, scope, identifier, write }) => {
    const userId = request.pathParameters.userId ?? '';
    rejectBuiltIn(identifier, 'identifier');
    return write((policy) => {
      const current = requireGroupHead(policy, scope, identifier);
      const members = policy.evaluator.index.membersOfIncarnation(current.incarnation);
      if (isGroupMember(policy, current, userId)) {
        return { operations: [], result: userGroupDto({ ...current.value, users: members.sort() }) };
      }
      const result = userGroupDto({ ...current.value, users: [...members, userId].sort() });
      if (!policy.evaluator.index.memberScopesOf(userId).has(scopePath(scope))) {
        throw new InvalidRequestError('Users must be members of the scope', [
          fieldError('userId', `user ${userId} is not a member of ${scopePath(scope)}`),
        ]);
      }
      return { operations: userGroupAddMember(policy.accountId, current, userId, false), result };
    });
  },
});

const removeMember = endpoint({
  method: 'DELETE',
  path: MEMBER,
  summary: 'Remove a member from a user group',
  tag: TAG,
  needs: ON_GROUP,
  notFound,
  handle: ({ request, scope, identifier, write }) => {
    const userId = request.pathParameters.userId ?? '';
    rejectBuiltIn(identifier, 'identifier');
    return write((policy) => {
      const current = requireGroupHead(policy, scope, identifier);
      if (!isGroupMember(policy, current, userId)) {
        throw new NotFoundError(`User ${userId} is not a member of user group ${identifier}`);
      }
      const what = `Removing ${userId} from user group ${identifier}`;
      const users = policy.evaluator.index
        .membersOfIncarnation(current.incarnation)
        .filter((user) => user !== userId)
        .sort();
      requireAdminKeptWithMembers(policy, scope, identifier, users, what);
      return {
        operations: userGroupRemoveMember(current, userId, true),
        result: userGroupDto({ ...current.value, users }),
      };
    });
  },
});

/** The user group routes: create, list, get, update, delete, add and remove a member. */
export function userGroupRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    createGroup,
    listGroups,
    getGroup,
    updateGroup,
    updateGroupByPath,
    deleteGroup,
    addMember,
    removeMember,
  ]);
}
