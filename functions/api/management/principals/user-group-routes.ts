import * as z from 'zod';
import { isAllUsersGroupIdentifier } from '../../../core/principal.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  roleAssignmentsOfPrincipal,
  type StoredUserGroup,
  type StoredUserGroupRecord,
  type UserGroupSsoFields,
} from '../../../store/readers/principal-readers.js';
import {
  userGroupAddMember,
  userGroupCreate,
  userGroupDelete,
  userGroupRemoveMember,
  userGroupReplace,
} from '../../../store/user-group-writes.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import {
  descriptionField,
  identifierField,
  nameField,
  opaqueIdField,
  scopeIdField,
  tagsField,
} from '../entity-fields.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { type WritePlan, writeAccount } from '../write-account.js';
import {
  adminStateOf,
  requireAccountAdminKept,
  withGroupMembers,
  withoutAssignments,
} from './last-account-admin.js';
import { assignmentDeletes, assignmentNamesGroup } from './principal-cascade.js';
import {
  authenticatedScope,
  newMeta,
  nextMeta,
  pathIdentifier,
  requireBodyScopeMatches,
  requireScopeAndPermission,
  scopedListRoute,
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

/** The body of a user-group write, checked against the query scope (400 for a built-in group or `harnessManaged: true`). */
export function parseBody(request: ApiRequest, scope: Scope): UserGroupBody {
  const body = parseInput(userGroupBodySchema, request.body);
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
function rejectBuiltIn(identifier: string, fieldId: string): void {
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

/** 404 unless the scope exists; 403 unless the caller holds `core_usergroup_manage` on the group. */
function authorizeManage(
  auth: AuthenticatedRequest,
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): void {
  requireScopeAndPermission(auth, policy, scope, {
    permission: MANAGE,
    resourceType: RESOURCE_TYPE,
    resourceIdentifier: identifier,
  });
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

/** Creates the group of a checked body at `scope` (members given as user ids); shared with the v2 endpoint. */
export async function createUserGroup(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  scope: Scope,
  body: UserGroupBody,
): Promise<UserGroupDto> {
  const users = distinctUsers(body);
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    requireScopeAndPermission(auth, policy, scope, { permission: MANAGE, resourceType: RESOURCE_TYPE });
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
      operations: userGroupCreate(policy.accountId, group, newMeta(context.now())),
      result: userGroupDto(group),
      sizeField: 'users',
    };
  });
}

function createRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: BASE,
    maxBodyBytes: USER_GROUP_BODY_BYTES,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const body = parseBody(request, scope);
      return { data: await createUserGroup(context, auth, scope, body) };
    },
  };
}

function listRoute(context: ManagementContext): Route {
  return scopedListRoute(context, BASE, { resourceType: RESOURCE_TYPE, permission: VIEW }, (auth, scope) => [
    allUsersGroupDto(auth.policy, scope),
    ...userGroupsAt(auth.policy, scope)
      .sort((a, b) => a.identifier.localeCompare(b.identifier))
      .map(userGroupDto),
  ]);
}

function getRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: `${BASE}/{identifier}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'User group');
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: VIEW,
        resourceType: RESOURCE_TYPE,
        resourceIdentifier: identifier,
      });
      if (isAllUsersGroupOf(scope, identifier)) return { data: allUsersGroupDto(auth.policy, scope) };
      return { data: userGroupDto(requireGroup(auth.policy, scope, identifier).value) };
    },
  };
}

/**
 * Replaces the group named by `body.identifier` at `scope` with the body (members given as user ids).
 * Shared by `PUT /ng/api/user-groups` (Harness: the identifier in the body), its alias
 * `PUT /ng/api/user-groups/{identifier}` and the v2 endpoint.
 */
export async function updateUserGroup(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  scope: Scope,
  body: UserGroupBody,
): Promise<UserGroupDto> {
  const { identifier } = body;
  const users = distinctUsers(body);
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    authorizeManage(auth, policy, scope, identifier);
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
    return replaceGroup(policy, current, updated, context.now());
  });
}

/** `PUT /ng/api/user-groups` as Harness serves it: the group named by the body's `identifier`. */
function updateRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: BASE,
    maxBodyBytes: USER_GROUP_BODY_BYTES,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const body = parseBody(request, scope);
      return { data: await updateUserGroup(context, auth, scope, body) };
    },
  };
}

/** `PUT /ng/api/user-groups/{identifier}`: our earlier path, kept as an alias; the body's identifier must be the path's. */
function updateByPathRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: `${BASE}/{identifier}`,
    maxBodyBytes: USER_GROUP_BODY_BYTES,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'User group');
      rejectBuiltIn(identifier, 'identifier');
      const body = parseBody(request, scope);
      if (body.identifier !== identifier) {
        throw new InvalidRequestError('The identifier cannot change', [
          fieldError('identifier', `must equal the identifier in the path (${identifier})`),
        ]);
      }
      return { data: await updateUserGroup(context, auth, scope, body) };
    },
  };
}

function deleteRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: `${BASE}/{identifier}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'User group');
      rejectBuiltIn(identifier, 'identifier');
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        authorizeManage(auth, policy, scope, identifier);
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
      return { data };
    },
  };
}

function addMemberRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: `${BASE}/{identifier}/member/{userId}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'User group');
      const userId = request.pathParameters.userId ?? '';
      rejectBuiltIn(identifier, 'identifier');
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        authorizeManage(auth, policy, scope, identifier);
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
      return { data };
    },
  };
}

function removeMemberRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: `${BASE}/{identifier}/member/{userId}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'User group');
      const userId = request.pathParameters.userId ?? '';
      rejectBuiltIn(identifier, 'identifier');
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        authorizeManage(auth, policy, scope, identifier);
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
      return { data };
    },
  };
}

/** The user group routes: create, list, get, update, delete, add and remove a member. */
export function userGroupRoutes(context: ManagementContext): Route[] {
  return [
    createRoute(context),
    listRoute(context),
    getRoute(context),
    updateRoute(context),
    updateByPathRoute(context),
    deleteRoute(context),
    addMemberRoute(context),
    removeMemberRoute(context),
  ];
}
