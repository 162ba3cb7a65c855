import * as z from 'zod';
import { isSelfOrAncestor, type Scope, scopeFromParams, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { descendantScopes } from '../../../store/readers/access-readers.js';
import type { StoredUserGroup } from '../../../store/readers/principal-readers.js';
import { findUserByEmail } from '../../../store/readers/user-readers.js';
import { userGroupCreate } from '../../../store/user-group-writes.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { type RoleAssignmentMetadata, roleAssignmentMetadataOf } from '../access/role-assignment-metadata.js';
import { emailField, identifierField, opaqueIdField, scopeIdField } from '../entity-fields.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { matchesUserFilter, type UserMetadata, userMetadataIn } from '../users/user-metadata.js';
import { writeAccount } from '../write-account.js';
import {
  authenticatedScope,
  matchingSearchTerm,
  newMeta,
  pathIdentifier,
  requireScopeAndPermission,
  scopeFieldsOf,
  viewableRecords,
} from './principal-request.js';
import { findUserGroup, type UserGroupDto, userGroupDtoAt, userGroupDtosAt } from './user-group-records.js';
import { createUserGroup, parseBody, updateUserGroup, userGroupBodySchema } from './user-group-routes.js';

/**
 * The user-group endpoints Harness's clients call beyond CRUD (reference/harness-client-conformance.md):
 * membership check, the member list, batch and filtered lists, the child scopes using a group, the v2
 * endpoints (members given as e-mails, answered as user records) and the UI's aggregate reads.
 */

const RESOURCE_TYPE = 'USERGROUP';
const VIEW = 'core_usergroup_view';
const MANAGE = 'core_usergroup_manage';

/** Harness's `UserFilter` (member lists). */
export const userFilterSchema = z.strictObject({
  emails: z.array(z.string().max(254)).max(1000).nullish(),
  identifiers: z.array(opaqueIdField).max(1000).nullish(),
  parentFilter: z.enum(['INCLUDE_PARENT_SCOPES', 'NO_PARENT_SCOPES', 'STRICTLY_PARENT_SCOPES']).nullish(),
  searchTerm: z.string().max(256).nullish(),
});

/** Harness's `UserGroupFilter` (`POST /ng/api/user-groups/batch` and `/filter`): the scope is in the body. */
export const userGroupFilterSchema = z.strictObject({
  accountIdentifier: z.string().min(1, 'cannot be empty').max(128),
  orgIdentifier: scopeIdField,
  projectIdentifier: scopeIdField,
  identifierFilter: z.array(z.string().max(128)).max(1000).nullish(),
  userIdentifierFilter: z.array(opaqueIdField).max(1000).nullish(),
  searchTerm: z.string().max(256).nullish(),
  /** Only the groups defined at the scope are listed; the inherited and child-scope variants are accepted and answered the same. */
  filterType: z
    .enum(['EXCLUDE_INHERITED_GROUPS', 'INCLUDE_CHILD_SCOPE_GROUPS', 'INCLUDE_INHERITED_GROUPS'])
    .nullish(),
  /** Harness's database ids; this product has none, so the filter matches nothing when given. */
  databaseIdFilter: z.array(z.string().max(128)).max(1000).nullish(),
});

/** The body of the v2 writes: Harness's `UserGroupRequestV2`, members as e-mails. */
export const userGroupV2BodySchema = userGroupBodySchema.extend({
  users: z.array(emailField).max(5000).nullish(),
});

/** Harness's `UserGroupResponseV2`: the group with its members as user records. */
export type UserGroupV2Dto = Omit<UserGroupDto, 'users'> & { users: UserMetadata[] };

/** Harness's `UserGroupAggregateDTO`: the group, its members and the role assignments naming it at its scope. */
export interface UserGroupAggregate {
  readonly userGroupDTO: UserGroupDto;
  readonly users: UserMetadata[];
  readonly roleAssignmentsMetadataDTO: RoleAssignmentMetadata[];
}

function v2Dto(policy: AccountPolicy, group: UserGroupDto): UserGroupV2Dto {
  return { ...group, users: group.users.map((userId) => userMetadataIn(policy, userId)) };
}

function aggregateOf(policy: AccountPolicy, scope: Scope, group: UserGroupDto): UserGroupAggregate {
  return {
    userGroupDTO: group,
    users: group.users.map((userId) => userMetadataIn(policy, userId)),
    roleAssignmentsMetadataDTO: roleAssignmentMetadataOf(policy, scope, {
      type: 'USER_GROUP',
      identifier: group.identifier,
      scopeLevel: scope.level,
    }),
  };
}

/** 403 unless the caller may view group `identifier` at `scope`; then the group, or 404. */
function requireViewableGroup(auth: AuthenticatedRequest, scope: Scope, identifier: string): UserGroupDto {
  requireScopeAndPermission(auth, auth.policy, scope, {
    permission: VIEW,
    resourceType: RESOURCE_TYPE,
    resourceIdentifier: identifier,
  });
  const group = userGroupDtoAt(auth.policy, scope, identifier);
  if (!group) throw new NotFoundError('The user group does not exist at this scope');
  return group;
}

/** The groups at `scope` the caller may view. */
function viewableGroups(auth: AuthenticatedRequest, scope: Scope): UserGroupDto[] {
  requireExistingScope(auth.policy, scope);
  return viewableRecords(auth, scope, RESOURCE_TYPE, VIEW, userGroupDtosAt(auth.policy, scope));
}

/** The user ids of v2 member e-mails: each must be a user of the account, else 400 naming `users[i]`. */
function userIdsOfEmails(policy: AccountPolicy, emails: readonly string[]): string[] {
  const errors: FieldError[] = [];
  const ids = emails.flatMap((email, index) => {
    const user = findUserByEmail(policy.items, email)?.value;
    if (!user) errors.push(fieldError(`users[${index}]`, `no user of this account has the e-mail ${email}`));
    return user ? [user.userId] : [];
  });
  if (errors.length > 0) throw new InvalidRequestError('Members must be users of the account', errors);
  return ids;
}

/** The scope a `UserGroupFilter` names; its account must be the query's. */
function filterScope(auth: AuthenticatedRequest, body: z.infer<typeof userGroupFilterSchema>): Scope {
  const scope = scopeFromParams(body);
  const errors: FieldError[] = [];
  if (body.accountIdentifier !== auth.accountId) {
    errors.push(fieldError('accountIdentifier', `must be the account of the query (${auth.accountId})`));
  }
  if (!scope) errors.push(fieldError('orgIdentifier', 'required with projectIdentifier'));
  for (const field of ['orgIdentifier', 'projectIdentifier'] as const) {
    if (/[#/]/.test(body[field] ?? '')) errors.push(fieldError(field, "must not contain '/' or '#'"));
  }
  if (errors.length > 0 || !scope) throw new InvalidRequestError('Invalid scope in the body', errors);
  return scope;
}

function filteredGroups(
  auth: AuthenticatedRequest,
  scope: Scope,
  filter: z.infer<typeof userGroupFilterSchema>,
): UserGroupDto[] {
  const identifiers = filter.identifierFilter?.length ? new Set(filter.identifierFilter) : undefined;
  const users = filter.userIdentifierFilter?.length ? filter.userIdentifierFilter : undefined;
  const term = filter.searchTerm?.trim().toLowerCase();
  return viewableGroups(auth, scope).filter(
    (group) =>
      !filter.databaseIdFilter?.length &&
      (!identifiers || identifiers.has(group.identifier)) &&
      (!users || users.some((user) => group.users.includes(user))) &&
      (!term || group.identifier.toLowerCase().includes(term) || group.name.toLowerCase().includes(term)),
  );
}

/** The body of `PUT /ng/api/user-groups/copy`: the scopes (Harness `Scope`) to copy the group to. */
export const copyTargetsSchema = z
  .array(
    z.strictObject({
      accountIdentifier: z.string().max(128).nullish(),
      orgIdentifier: z.string().max(128).nullish(),
      projectIdentifier: z.string().max(128).nullish(),
    }),
  )
  .min(1)
  .max(50);

/** The query of `PUT /ng/api/user-groups/copy`. */
export const copyQuerySchema = z.object({ groupIdentifier: identifierField });

/**
 * Copies the stored group `groupIdentifier` of the query's scope to each target scope below it, with
 * its name, description, tags, SSO fields and members: every member must be a member of the target
 * (400 naming `[i]` otherwise), the target must not have the group yet (409), and the caller needs
 * `core_usergroup_manage` there. One transaction; answers true.
 */
async function copyGroup(context: ManagementContext, request: ApiRequest): Promise<boolean> {
  const { auth, scope } = await authenticatedScope(context, request);
  const { groupIdentifier } = parseInput(copyQuerySchema, request.query);
  const targets = parseInput(copyTargetsSchema, request.body);
  const scopes = targets.map((target, index) => {
    const found = scopeFromParams({
      ...target,
      accountIdentifier: target.accountIdentifier ?? auth.accountId,
    });
    if (!found || found.accountIdentifier !== auth.accountId || !isStrictlyBelow(scope, found)) {
      throw new InvalidRequestError('Invalid target scope', [
        fieldError(`[${index}]`, `must be a scope below ${scopePath(scope)} in this account`),
      ]);
    }
    return found;
  });
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    const source = findUserGroup(policy, scope, groupIdentifier);
    if (!source) throw new NotFoundError('The user group does not exist at this scope');
    const operations = scopes.flatMap((target, index) => {
      requireScopeAndPermission(auth, policy, target, { permission: MANAGE, resourceType: RESOURCE_TYPE });
      if (findUserGroup(policy, target, groupIdentifier)) {
        throw new ConflictError(
          `A user group with identifier ${groupIdentifier} already exists in ${scopePath(target)}`,
        );
      }
      const members = new Set(policy.evaluator.scopeMembers(target));
      const outside = source.value.users.filter((user) => !members.has(user));
      if (outside.length > 0) {
        throw new InvalidRequestError('Members must be members of the target scope', [
          fieldError(`[${index}]`, `users ${outside.join(', ')} are not members of ${scopePath(target)}`),
        ]);
      }
      const copy: StoredUserGroup = { ...source.value, scope: target };
      return userGroupCreate(policy.accountId, copy, newMeta(context.now()));
    });
    return { operations, result: true };
  });
}

/** True when `inner` is a descendant of `outer` (not `outer` itself). */
function isStrictlyBelow(outer: Scope, inner: Scope): boolean {
  return isSelfOrAncestor(outer, inner) && scopePath(outer) !== scopePath(inner);
}

/** The account's current policy (after a write), falling back to the one the request was authenticated with. */
async function freshPolicy(context: ManagementContext, auth: AuthenticatedRequest): Promise<AccountPolicy> {
  return (await context.cache.current(auth.accountId)) ?? auth.policy;
}

/** A v2 body: checked as a v1 body (scope, built-in groups) and its member e-mails resolved to user ids. */
async function parseV2Body(
  context: ManagementContext,
  auth: AuthenticatedRequest,
  request: ApiRequest,
  scope: Scope,
) {
  const body = parseInput(userGroupV2BodySchema, request.body);
  const checked = parseBody({ ...request, body: { ...body, users: [] } }, scope);
  const users = userIdsOfEmails(await freshPolicy(context, auth), body.users ?? []);
  return { checked, users };
}

/** The user-group routes Harness's clients call beyond create, read, update and delete. */
export function userGroupHarnessRoutes(context: ManagementContext): Route[] {
  const base = '/ng/api/user-groups';
  return [
    {
      method: 'PUT',
      path: `${base}/copy`,
      handler: async (request) => ({ data: await copyGroup(context, request) }),
    },
    {
      method: 'GET',
      path: `${base}/{identifier}/member/{userId}`,
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const group = requireViewableGroup(auth, scope, pathIdentifier(request, 'identifier', 'User group'));
        return { data: group.users.includes(request.pathParameters.userId ?? '') };
      },
    },
    {
      method: 'POST',
      path: `${base}/{identifier}/users`,
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const filter = parseInput(userFilterSchema, request.body ?? {});
        const group = requireViewableGroup(auth, scope, pathIdentifier(request, 'identifier', 'User group'));
        const members = group.users
          .map((userId) => userMetadataIn(auth.policy, userId))
          .filter((user) => matchesUserFilter(user, filter));
        return { data: pageOf(members, pageIndex, pageSize) };
      },
    },
    {
      method: 'POST',
      path: `${base}/batch`,
      handler: async (request) => {
        const { auth } = await authenticatedScope(context, request);
        const filter = parseInput(userGroupFilterSchema, request.body);
        return { data: filteredGroups(auth, filterScope(auth, filter), filter) };
      },
    },
    {
      method: 'POST',
      path: `${base}/filter`,
      handler: async (request) => {
        const { auth } = await authenticatedScope(context, request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const filter = parseInput(userGroupFilterSchema, request.body);
        return { data: pageOf(filteredGroups(auth, filterScope(auth, filter), filter), pageIndex, pageSize) };
      },
    },
    {
      method: 'GET',
      path: `${base}/{identifier}/scopes`,
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const group = requireViewableGroup(auth, scope, pathIdentifier(request, 'identifier', 'User group'));
        const using = descendantScopes(auth.policy.items, scope).filter(
          (child) =>
            roleAssignmentMetadataOf(auth.policy, child, {
              type: 'USER_GROUP',
              identifier: group.identifier,
              scopeLevel: scope.level,
            }).length > 0,
        );
        return { data: using.map((child) => scopeFieldsOf(child)) };
      },
    },
    {
      method: 'POST',
      path: '/ng/api/v2/user-groups',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { checked, users } = await parseV2Body(context, auth, request, scope);
        const created = await createUserGroup(context, auth, scope, { ...checked, users });
        return { data: v2Dto(await freshPolicy(context, auth), created) };
      },
    },
    {
      method: 'PUT',
      path: '/ng/api/v2/user-groups',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { checked, users } = await parseV2Body(context, auth, request, scope);
        const updated = await updateUserGroup(context, auth, scope, { ...checked, users });
        return { data: v2Dto(await freshPolicy(context, auth), updated) };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/v2/user-groups/{identifier}',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const group = requireViewableGroup(auth, scope, pathIdentifier(request, 'identifier', 'User group'));
        return { data: v2Dto(auth.policy, group) };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/aggregate/acl/usergroups',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const groups = matchingSearchTerm(request, viewableGroups(auth, scope));
        return {
          data: pageOf(
            groups.map((group) => aggregateOf(auth.policy, scope, group)),
            pageIndex,
            pageSize,
          ),
        };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/aggregate/acl/usergroups/{identifier}',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const group = requireViewableGroup(auth, scope, pathIdentifier(request, 'identifier', 'User group'));
        return { data: aggregateOf(auth.policy, scope, group) };
      },
    },
  ];
}
