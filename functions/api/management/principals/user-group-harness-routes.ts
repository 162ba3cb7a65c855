import * as z from 'zod';
import { isSelfOrAncestor, type Scope, scopeFromParams, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { StoredUserGroup } from '../../../store/entities/user-groups.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { descendantScopes } from '../../../store/readers/access-readers.js';
import { findUserByEmail } from '../../../store/readers/user-readers.js';
import { userGroupCreate } from '../../../store/user-group-writes.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { type RoleAssignmentMetadata, roleAssignmentMetadataOf } from '../access/role-assignment-metadata.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import { emailField, identifierField, opaqueIdField, scopeIdField } from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { matchesUserFilter, type UserMetadata, userMetadataIn } from '../users/user-metadata.js';
import {
  matchingSearchTerm,
  newMeta,
  requireScopeAndPermission,
  scopeFieldsOf,
  viewableRecords,
} from './principal-request.js';
import { findUserGroup, type UserGroupDto, userGroupDtoAt, userGroupDtosAt } from './user-group-records.js';
import {
  requireWritableBody,
  type UserGroupBody,
  userGroupBodySchema,
  userGroupCreation,
  userGroupUpdate,
} from './user-group-routes.js';

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

/** A parsed v2 body. */
type UserGroupV2Body = z.infer<typeof userGroupV2BodySchema>;

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

/** The group `identifier` at `scope` (the route has checked that the caller may view it), or 404. */
function requireGroupDto(auth: AuthenticatedRequest, scope: Scope, identifier: string): UserGroupDto {
  const group = userGroupDtoAt(auth.policy, scope, identifier);
  if (!group) throw new NotFoundError(GROUP_NOT_FOUND);
  return group;
}

const GROUP_NOT_FOUND = 'The user group does not exist at this scope';

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

/** True when `inner` is a descendant of `outer` (not `outer` itself). */
function isStrictlyBelow(outer: Scope, inner: Scope): boolean {
  return isSelfOrAncestor(outer, inner) && scopePath(outer) !== scopePath(inner);
}

const BASE = '/ng/api/user-groups';
const V2 = '/ng/api/v2/user-groups';
const AGGREGATES = '/ng/api/aggregate/acl/usergroups';
const TAG = 'User groups';
const VIEW_GROUP = { permission: VIEW, resourceType: RESOURCE_TYPE, on: 'path' } as const;
const notFound = () => GROUP_NOT_FOUND;

/**
 * Copies the stored group `groupIdentifier` of the query's scope to each target scope below it, with
 * its name, description, tags, SSO fields and members: every member must be a member of the target
 * (400 naming `[i]` otherwise), the target must not have the group yet (409), and the caller needs
 * `core_usergroup_manage` there. One transaction; answers true.
 */
const copyGroup = endpoint({
  method: 'PUT',
  path: `${BASE}/copy`,
  summary: 'Copy a user group with its members to scopes below (core_usergroup_manage at each)',
  tag: TAG,
  body: copyTargetsSchema,
  query: copyQuerySchema,
  needs: 'per-resource',
  handle: ({ auth, scope, query: { groupIdentifier }, body: targets, now, write }) => {
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
    return write((policy, caller) => {
      const source = findUserGroup(policy, scope, groupIdentifier);
      if (!source) throw new NotFoundError(GROUP_NOT_FOUND);
      const operations = scopes.flatMap((target, index) => {
        requireScopeAndPermission(caller, policy, target, {
          permission: MANAGE,
          resourceType: RESOURCE_TYPE,
        });
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
        return userGroupCreate(policy.accountId, copy, newMeta(now()));
      });
      return { operations, result: true };
    });
  },
});

const isMember = endpoint({
  method: 'GET',
  path: `${BASE}/{identifier}/member/{userId}`,
  summary: 'Whether a user is a member of the group (data is a boolean)',
  tag: TAG,
  needs: VIEW_GROUP,
  notFound,
  handle: async ({ request, auth, scope, identifier }) =>
    requireGroupDto(auth, scope, identifier).users.includes(request.pathParameters.userId ?? ''),
});

const listMembers = endpoint({
  method: 'POST',
  path: `${BASE}/{identifier}/users`,
  summary: 'The members of a group as user metadata, matching a UserFilter',
  tag: TAG,
  body: userFilterSchema,
  emptyBody: {},
  paged: true,
  needs: VIEW_GROUP,
  notFound,
  handle: async ({ auth, scope, identifier, body: filter, page }) =>
    page(
      requireGroupDto(auth, scope, identifier)
        .users.map((userId) => userMetadataIn(auth.policy, userId))
        .filter((user) => matchesUserFilter(user, filter)),
    ),
});

/**
 * `POST /ng/api/user-groups/batch` and `/filter` take the scope from the `UserGroupFilter` body
 * (whose account must be the query's), not from the query's organization and project, as Harness does.
 */
const batchGroups = endpoint({
  method: 'POST',
  path: `${BASE}/batch`,
  summary: 'User groups matching a UserGroupFilter (the scope in the body)',
  tag: TAG,
  body: userGroupFilterSchema,
  scopeFrom: 'account',
  needs: 'per-resource',
  handle: async ({ auth, body: filter }) => filteredGroups(auth, filterScope(auth, filter), filter),
});

const filterGroups = endpoint({
  method: 'POST',
  path: `${BASE}/filter`,
  summary: 'User groups matching a UserGroupFilter (the scope in the body), paged',
  tag: TAG,
  body: userGroupFilterSchema,
  paged: true,
  scopeFrom: 'account',
  needs: 'per-resource',
  handle: async ({ auth, body: filter, page }) =>
    page(filteredGroups(auth, filterScope(auth, filter), filter)),
});

const scopesUsingGroup = endpoint({
  method: 'GET',
  path: `${BASE}/{identifier}/scopes`,
  summary: 'The scopes below where the group has role assignments',
  tag: TAG,
  needs: VIEW_GROUP,
  notFound,
  handle: async ({ auth, scope, identifier }) => {
    const group = requireGroupDto(auth, scope, identifier);
    const using = descendantScopes(auth.policy.items, scope).filter(
      (child) =>
        roleAssignmentMetadataOf(auth.policy, child, {
          type: 'USER_GROUP',
          identifier: group.identifier,
          scopeLevel: scope.level,
        }).length > 0,
    );
    return using.map((child) => scopeFieldsOf(child));
  },
});

/** A v2 body checked as a v1 body (scope, built-in groups), with its member e-mails resolved to user ids in `policy`. */
function v1BodyOf(policy: AccountPolicy, scope: Scope, body: UserGroupV2Body): UserGroupBody {
  const checked = requireWritableBody(scope, { ...body, users: [] });
  return { ...checked, users: userIdsOfEmails(policy, body.users ?? []) };
}

const createGroupV2 = endpoint({
  method: 'POST',
  path: V2,
  summary: 'Create a user group with members given as e-mails (answered as user records)',
  tag: TAG,
  body: userGroupV2BodySchema,
  needs: { permission: MANAGE, resourceType: RESOURCE_TYPE },
  handle: ({ auth, scope, body, now, write }) => {
    v1BodyOf(auth.policy, scope, body);
    return write((policy) => {
      const plan = userGroupCreation(policy, scope, v1BodyOf(policy, scope, body), now());
      return { ...plan, result: v2Dto(policy, plan.result) };
    });
  },
});

const updateGroupV2 = endpoint({
  method: 'PUT',
  path: V2,
  summary: 'Update a user group with members given as e-mails',
  tag: TAG,
  body: userGroupV2BodySchema,
  needs: { permission: MANAGE, resourceType: RESOURCE_TYPE, on: 'body' },
  handle: ({ auth, scope, body, now, write }) => {
    v1BodyOf(auth.policy, scope, body);
    return write((policy) => {
      const plan = userGroupUpdate(policy, scope, v1BodyOf(policy, scope, body), now());
      return { ...plan, result: v2Dto(policy, plan.result) };
    });
  },
});

const getGroupV2 = endpoint({
  method: 'GET',
  path: `${V2}/{identifier}`,
  summary: 'Get a user group with its members as user records',
  tag: TAG,
  needs: VIEW_GROUP,
  notFound,
  handle: async ({ auth, scope, identifier }) => v2Dto(auth.policy, requireGroupDto(auth, scope, identifier)),
});

const listGroupAggregates = endpoint({
  method: 'GET',
  path: AGGREGATES,
  summary: 'User groups with their members and role assignments (the UI list)',
  tag: TAG,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, page }) =>
    page(
      matchingSearchTerm(request, viewableGroups(auth, scope)).map((group) =>
        aggregateOf(auth.policy, scope, group),
      ),
    ),
});

const getGroupAggregate = endpoint({
  method: 'GET',
  path: `${AGGREGATES}/{identifier}`,
  summary: 'A user group with its members and role assignments',
  tag: TAG,
  needs: VIEW_GROUP,
  notFound,
  handle: async ({ auth, scope, identifier }) =>
    aggregateOf(auth.policy, scope, requireGroupDto(auth, scope, identifier)),
});

/** The user-group routes Harness's clients call beyond create, read, update and delete. */
export function userGroupHarnessRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    copyGroup,
    isMember,
    listMembers,
    batchGroups,
    filterGroups,
    scopesUsingGroup,
    createGroupV2,
    updateGroupV2,
    getGroupV2,
    listGroupAggregates,
    getGroupAggregate,
  ]);
}
