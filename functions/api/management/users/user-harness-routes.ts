import * as z from 'zod';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentsAt } from '../../../store/readers/access-readers.js';
import { findUser } from '../../../store/readers/user-readers.js';
import { userGroupAddMember } from '../../../store/user-group-writes.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { type RoleAssignmentMetadata, roleAssignmentMetadata } from '../access/role-assignment-metadata.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import { identifierField, opaqueIdField } from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import { type AdminState, adminStateOf, hasEffectiveAccountAdmin } from '../principals/last-account-admin.js';
import { viewableRecords } from '../principals/principal-request.js';
import { userFilterSchema } from '../principals/user-group-harness-routes.js';
import { findUserGroupHead, isGroupMember } from '../principals/user-group-records.js';
import { requireExistingScope } from '../request-scope.js';
import { requirePermission } from '../require-permission.js';
import { matchesUserFilter, type UserMetadata, userMetadataIn } from './user-metadata.js';

/**
 * The user endpoints of Harness's `UserResource` that its UI, ng-manager client and Terraform call
 * (reference/harness-client-conformance.md): the aggregate list and read (`POST /ng/api/user/aggregate`,
 * `GET /ng/api/user/aggregate/{userId}`), the batch list, adding a user to groups, the current user
 * and the last-admin check.
 */

const RESOURCE_TYPE = 'USER';

/** Harness's `ACLAggregateFilter`: only users with a role assignment of these roles / resource groups. */
export const aclAggregateFilterSchema = z.strictObject({
  roleIdentifiers: z.array(identifierField).max(1000).nullish(),
  resourceGroupIdentifiers: z.array(identifierField).max(1000).nullish(),
});

/**
 * Whether role bindings pass an `ACLAggregateFilter`: every binding list does when the filter names
 * nothing; else one binding must have a listed role (when roles are listed) and a listed resource
 * group (when resource groups are).
 */
export function aclAggregateMatcher(
  filter: z.infer<typeof aclAggregateFilterSchema>,
): (bindings: readonly { roleIdentifier: string; resourceGroupIdentifier: string }[]) => boolean {
  const roles = filter.roleIdentifiers?.length ? new Set(filter.roleIdentifiers) : undefined;
  const groups = filter.resourceGroupIdentifiers?.length
    ? new Set(filter.resourceGroupIdentifiers)
    : undefined;
  return (bindings) =>
    (!roles && !groups) ||
    bindings.some(
      (binding) =>
        (!roles || roles.has(binding.roleIdentifier)) &&
        (!groups || groups.has(binding.resourceGroupIdentifier)),
    );
}

/** Harness's `UserAddToUserGroupDto`. */
export const addUserToGroupsSchema = z.strictObject({
  userGroupIdsToAdd: z.array(identifierField).max(100).nullish(),
});

/** The query of `GET /ng/api/user/last-admin`. */
export const lastAdminQuerySchema = z.object({ userId: opaqueIdField.optional() });

/** Harness's `UserAggregate`: the user and its role assignments at the scope. */
export interface UserAggregate {
  readonly user: UserMetadata;
  readonly roleAssignmentMetadata: RoleAssignmentMetadata[];
}

function assignmentsOfUser(policy: AccountPolicy, scope: Scope, userId: string): RoleAssignment[] {
  return roleAssignmentsAt(policy.items, scope)
    .map((stored) => stored.value)
    .filter(
      (assignment) => assignment.principal.type === 'USER' && assignment.principal.identifier === userId,
    )
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}

function userAggregate(policy: AccountPolicy, scope: Scope, userId: string): UserAggregate {
  return {
    user: userMetadataIn(policy, userId),
    roleAssignmentMetadata: assignmentsOfUser(policy, scope, userId).map((assignment) =>
      roleAssignmentMetadata(policy, assignment),
    ),
  };
}

/** The members of `scope` the caller may view, as metadata. */
function viewableMembers(auth: AuthenticatedRequest, scope: Scope): UserMetadata[] {
  requireExistingScope(auth.policy, scope);
  const records = auth.policy.evaluator
    .scopeMembers(scope)
    .map((userId) => ({ identifier: userId, user: userMetadataIn(auth.policy, userId) }));
  return viewableRecords(auth, scope, RESOURCE_TYPE, 'core_user_view', records).map((record) => record.user);
}

/** `state` as if `userId` were gone: its own assignments removed and its group memberships dropped. */
function withoutUser(state: AdminState, userId: string): AdminState {
  return {
    assignments: state.assignments.filter(
      (assignment) => !(assignment.principal.type === 'USER' && assignment.principal.identifier === userId),
    ),
    groupMembers: (scope, identifier) =>
      state.groupMembers(scope, identifier)?.filter((member) => member !== userId),
  };
}

/** True when `userId` holds the account's last effective account-admin assignment (directly or through groups). */
export function isLastAccountAdmin(policy: AccountPolicy, userId: string): boolean {
  const before = adminStateOf(policy);
  return hasEffectiveAccountAdmin(before) && !hasEffectiveAccountAdmin(withoutUser(before, userId));
}

/** 404 unless `userId` is a member of `scope`. */
function requireScopeMember(policy: AccountPolicy, scope: Scope, userId: string): void {
  if (!policy.evaluator.scopeMembers(scope).includes(userId)) {
    throw new NotFoundError(`User ${userId} is not a member of ${scopePath(scope)}`);
  }
}

const TAG = 'Users and invites';
const userNotFound = (userId: string) => `User ${userId} does not exist`;

/** The query of the aggregate list: `searchTerm` on name and e-mail. */
const searchTermQuerySchema = z.object({ searchTerm: z.string().optional() });

const listUserAggregates = endpoint({
  method: 'POST',
  path: '/ng/api/user/aggregate',
  summary: 'Members of the scope with their role assignments (ACLAggregateFilter, searchTerm)',
  tag: TAG,
  body: aclAggregateFilterSchema,
  emptyBody: {},
  query: searchTermQuerySchema,
  paged: true,
  needs: 'per-resource',
  handle: async ({ auth, scope, body: filter, query, page }) => {
    const term = query.searchTerm?.trim().toLowerCase();
    const matches = aclAggregateMatcher(filter);
    const users = viewableMembers(auth, scope)
      .filter((user) => matchesUserFilter(user, { searchTerm: term }))
      .map((user) => userAggregate(auth.policy, scope, user.uuid))
      .filter((aggregate) => matches(aggregate.roleAssignmentMetadata));
    return page(users);
  },
});

const getUserAggregate = endpoint({
  method: 'GET',
  path: '/ng/api/user/aggregate/{userId}',
  summary: 'A member of the scope with its role assignments',
  tag: TAG,
  identifierParameter: 'userId',
  needs: { permission: 'core_user_view', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound: userNotFound,
  handle: async ({ auth, scope, identifier: userId }) => {
    requireScopeMember(auth.policy, scope, userId);
    return userAggregate(auth.policy, scope, userId);
  },
});

const batchUsers = endpoint({
  method: 'POST',
  path: '/ng/api/user/batch',
  summary: 'Members of the scope matching a UserFilter',
  tag: TAG,
  body: userFilterSchema,
  emptyBody: {},
  paged: true,
  needs: 'per-resource',
  handle: async ({ auth, scope, body: filter, page }) =>
    page(viewableMembers(auth, scope).filter((user) => matchesUserFilter(user, filter))),
});

const addUserToGroups = endpoint({
  method: 'PUT',
  path: '/ng/api/user/add-user-to-groups/{userId}',
  summary: 'Add a member of the scope to user groups of the scope (core_usergroup_manage on each)',
  tag: TAG,
  body: addUserToGroupsSchema,
  emptyBody: {},
  identifierParameter: 'userId',
  needs: 'per-resource',
  notFound: userNotFound,
  handle: ({ scope, identifier: userId, body, write }) => {
    const groups = [...new Set(body.userGroupIdsToAdd ?? [])];
    return write((policy, caller) => {
      requireScopeMember(policy, scope, userId);
      const errors: FieldError[] = [];
      const operations = groups.flatMap((identifier, index) => {
        requirePermission(caller, {
          permission: 'core_usergroup_manage',
          resourceType: 'USERGROUP',
          resourceScope: scope,
          resourceIdentifier: identifier,
        });
        const current = findUserGroupHead(policy, scope, identifier);
        if (!current) {
          errors.push(
            fieldError(`userGroupIdsToAdd[${index}]`, `no user group ${identifier} in ${scopePath(scope)}`),
          );
          return [];
        }
        return userGroupAddMember(policy.accountId, current, userId, isGroupMember(policy, current, userId));
      });
      if (errors.length > 0) throw new InvalidRequestError('Unknown user groups', errors);
      return { operations, result: true };
    });
  },
});

const currentUser = endpoint({
  method: 'GET',
  path: '/ng/api/user/currentUser',
  summary: 'The calling user (400 for a service-account token)',
  tag: TAG,
  needs: 'any-caller',
  handle: async ({ auth }) => {
    if (auth.caller.type !== 'USER') {
      throw new InvalidRequestError('The caller is not a user', [
        fieldError('x-api-key', `belongs to a ${auth.caller.type}, not to a user`),
      ]);
    }
    const user = findUser(auth.policy.items, auth.caller.identifier)?.value;
    const metadata = userMetadataIn(auth.policy, auth.caller.identifier);
    return {
      uuid: metadata.uuid,
      email: metadata.email,
      name: metadata.name,
      defaultAccountId: auth.accountId,
      locked: false,
      disabled: false,
      externallyManaged: false,
      emailVerified: user?.status === 'ACTIVE',
      twoFactorAuthenticationEnabled: false,
    };
  },
});

const lastAdmin = endpoint({
  method: 'GET',
  path: '/ng/api/user/last-admin',
  summary: 'Whether the user (default: the caller) holds the last effective account-admin assignment',
  tag: TAG,
  query: lastAdminQuerySchema,
  needs: 'any-caller',
  handle: async ({ auth, query: { userId } }) => {
    const subject = userId ?? (auth.caller.type === 'USER' ? auth.caller.identifier : undefined);
    if (!subject) {
      throw new InvalidRequestError('userId is required', [
        fieldError('userId', 'is required for a service-account caller'),
      ]);
    }
    return isLastAccountAdmin(auth.policy, subject);
  },
});

/** The Harness-client user routes. */
export function userHarnessRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    listUserAggregates,
    getUserAggregate,
    batchUsers,
    addUserToGroups,
    currentUser,
    lastAdmin,
  ]);
}
