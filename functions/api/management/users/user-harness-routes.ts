import * as z from 'zod';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { roleAssignmentsAt } from '../../../store/readers/access-readers.js';
import { findUser } from '../../../store/readers/user-readers.js';
import { userGroupAddMember } from '../../../store/user-group-writes.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { type RoleAssignmentMetadata, roleAssignmentMetadata } from '../access/role-assignment-metadata.js';
import { identifierField, opaqueIdField } from '../entity-fields.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { type AdminState, adminStateOf, hasEffectiveAccountAdmin } from '../principals/last-account-admin.js';
import {
  authenticatedScope,
  requireScopeAndPermission,
  viewableRecords,
} from '../principals/principal-request.js';
import { userFilterSchema } from '../principals/user-group-harness-routes.js';
import { findUserGroupHead, isGroupMember } from '../principals/user-group-records.js';
import { requireExistingScope } from '../request-scope.js';
import { writeAccount } from '../write-account.js';
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

function pathUserId(request: ApiRequest): string {
  const value = request.pathParameters.userId ?? '';
  if (value === '' || value.includes('#')) throw new NotFoundError(`User ${value} does not exist`);
  return value;
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

/** The Harness-client user routes. */
export function userHarnessRoutes(context: ManagementContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/ng/api/user/aggregate',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const filter = parseInput(aclAggregateFilterSchema, request.body ?? {});
        const term = request.query.searchTerm?.trim().toLowerCase();
        const roles = filter.roleIdentifiers?.length ? new Set(filter.roleIdentifiers) : undefined;
        const groups = filter.resourceGroupIdentifiers?.length
          ? new Set(filter.resourceGroupIdentifiers)
          : undefined;
        const users = viewableMembers(auth, scope)
          .filter((user) => matchesUserFilter(user, { searchTerm: term }))
          .map((user) => userAggregate(auth.policy, scope, user.uuid))
          .filter(
            (aggregate) =>
              (!roles && !groups) ||
              aggregate.roleAssignmentMetadata.some(
                (assignment) =>
                  (!roles || roles.has(assignment.roleIdentifier)) &&
                  (!groups || groups.has(assignment.resourceGroupIdentifier)),
              ),
          );
        return { data: pageOf(users, pageIndex, pageSize) };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/user/aggregate/{userId}',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const userId = pathUserId(request);
        requireScopeAndPermission(auth, auth.policy, scope, {
          permission: 'core_user_view',
          resourceType: RESOURCE_TYPE,
          resourceIdentifier: userId,
        });
        if (!auth.policy.evaluator.scopeMembers(scope).includes(userId)) {
          throw new NotFoundError(`User ${userId} is not a member of ${scopePath(scope)}`);
        }
        return { data: userAggregate(auth.policy, scope, userId) };
      },
    },
    {
      method: 'POST',
      path: '/ng/api/user/batch',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        const filter = parseInput(userFilterSchema, request.body ?? {});
        const users = viewableMembers(auth, scope).filter((user) => matchesUserFilter(user, filter));
        return { data: pageOf(users, pageIndex, pageSize) };
      },
    },
    {
      method: 'PUT',
      path: '/ng/api/user/add-user-to-groups/{userId}',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        const userId = pathUserId(request);
        const body = parseInput(addUserToGroupsSchema, request.body ?? {});
        const groups = [...new Set(body.userGroupIdsToAdd ?? [])];
        await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
          requireExistingScope(policy, scope);
          if (!policy.evaluator.scopeMembers(scope).includes(userId)) {
            throw new NotFoundError(`User ${userId} is not a member of ${scopePath(scope)}`);
          }
          const errors: FieldError[] = [];
          const operations = groups.flatMap((identifier, index) => {
            requireScopeAndPermission(auth, policy, scope, {
              permission: 'core_usergroup_manage',
              resourceType: 'USERGROUP',
              resourceIdentifier: identifier,
            });
            const current = findUserGroupHead(policy, scope, identifier);
            if (!current) {
              errors.push(
                fieldError(
                  `userGroupIdsToAdd[${index}]`,
                  `no user group ${identifier} in ${scopePath(scope)}`,
                ),
              );
              return [];
            }
            return userGroupAddMember(
              policy.accountId,
              current,
              userId,
              isGroupMember(policy, current, userId),
            );
          });
          if (errors.length > 0) throw new InvalidRequestError('Unknown user groups', errors);
          return { operations, result: true };
        });
        return { data: true };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/user/currentUser',
      handler: async (request) => {
        const { auth } = await authenticatedScope(context, request);
        if (auth.caller.type !== 'USER') {
          throw new InvalidRequestError('The caller is not a user', [
            fieldError('x-api-key', `belongs to a ${auth.caller.type}, not to a user`),
          ]);
        }
        const user = findUser(auth.policy.items, auth.caller.identifier)?.value;
        const metadata = userMetadataIn(auth.policy, auth.caller.identifier);
        return {
          data: {
            uuid: metadata.uuid,
            email: metadata.email,
            name: metadata.name,
            defaultAccountId: auth.accountId,
            locked: false,
            disabled: false,
            externallyManaged: false,
            emailVerified: user?.status === 'ACTIVE',
            twoFactorAuthenticationEnabled: false,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/ng/api/user/last-admin',
      handler: async (request) => {
        const { auth, scope } = await authenticatedScope(context, request);
        requireExistingScope(auth.policy, scope);
        const { userId } = parseInput(lastAdminQuerySchema, request.query);
        const subject = userId ?? (auth.caller.type === 'USER' ? auth.caller.identifier : undefined);
        if (!subject) {
          throw new InvalidRequestError('userId is required', [
            fieldError('userId', 'is required for a service-account caller'),
          ]);
        }
        return { data: isLastAccountAdmin(auth.policy, subject) };
      },
    },
  ];
}
