import type { Scope } from '../../../core/scope.js';
import { scopePath } from '../../../core/scope.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { isScopeMember } from '../../../store/readers/access-readers.js';
import { findUser } from '../../../store/readers/user-readers.js';
import { pageOf } from '../../http/envelope.js';
import { NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { actingAs } from '../escalation-guard.js';
import { deliverInvites, requireDelivery } from '../invites/deliver-invites.js';
import type { ManagementContext } from '../management-context.js';
import {
  authenticatedScope,
  matchingSearchTerm,
  requireScopeAndPermission,
  viewableRecords,
} from '../principals/principal-request.js';
import { requireExistingScope } from '../request-scope.js';
import { writeAccount } from '../write-account.js';
import { planAddUsers } from './add-users-plan.js';
import { type UserDto, userDto } from './user-dto.js';
import { planUserRemoval } from './user-removal.js';
import { addUsersBodySchema } from './user-schemas.js';

/**
 * User endpoints (DESIGN §6.2): add or invite users to the scope of the query parameters
 * (`core_user_invite`), list the scope's members and read one (`core_user_view`), remove a user from
 * the scope (`core_user_manage` on `USER/<userId>`). Writes go through `writeAccount`, so the next
 * access check sees them.
 */

const RESOURCE_TYPE = 'USER';

/** The `{userId}` path parameter; one that cannot name a user is a 404. */
function pathUserId(request: ApiRequest): string {
  const value = request.pathParameters.userId ?? '';
  if (value === '' || value.includes('#')) throw new NotFoundError(`User ${value} does not exist`);
  return value;
}

/** The member `userId` of `scope` as a DTO, or 404. */
function requireMember(policy: AccountPolicy, scope: Scope, userId: string): UserDto {
  if (!isScopeMember(policy.items, userId, scope)) {
    throw new NotFoundError(`User ${userId} is not a member of ${scopePath(scope)}`);
  }
  return userDto(userId, findUser(policy.items, userId)?.value);
}

function addRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/user/users',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const body = parseInput(addUsersBodySchema, request.body);
      const delivery = requireDelivery(context);
      const roleBindings = (body.roleBindings ?? []).map((binding) => ({
        roleIdentifier: binding.roleIdentifier,
        resourceGroupIdentifier: binding.resourceGroupIdentifier,
      }));
      const outcome = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        const fresh = requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_user_invite',
          resourceType: RESOURCE_TYPE,
        });
        return planAddUsers(
          fresh,
          { scope, emails: body.emails, userGroups: body.userGroups ?? [], roleBindings },
          context.now(),
        );
      });
      await deliverInvites(delivery, outcome.invitesToSend);
      return { data: { addUserResponseMap: outcome.addUserResponseMap } };
    },
  };
}

function listRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/user/users',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      requireExistingScope(auth.policy, scope);
      const records = auth.policy.evaluator.scopeMembers(scope).map((userId) => {
        const dto = userDto(userId, findUser(auth.policy.items, userId)?.value);
        return { identifier: userId, name: `${dto.name ?? ''} ${dto.email ?? ''}`, dto };
      });
      const visible = viewableRecords(
        auth,
        scope,
        RESOURCE_TYPE,
        'core_user_view',
        matchingSearchTerm(request, records),
      );
      return {
        data: pageOf(
          visible.map((record) => record.dto),
          pageIndex,
          pageSize,
        ),
      };
    },
  };
}

function getRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/user/{userId}',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const userId = pathUserId(request);
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_user_view',
        resourceType: RESOURCE_TYPE,
        resourceIdentifier: userId,
      });
      return { data: requireMember(auth.policy, scope, userId) };
    },
  };
}

function removeRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: '/ng/api/user/{userId}',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const userId = pathUserId(request);
      await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_user_manage',
          resourceType: RESOURCE_TYPE,
          resourceIdentifier: userId,
        });
        const operations = planUserRemoval(policy, userId, scope);
        if (operations.length === 0) requireMember(policy, scope, userId);
        return { operations, result: true };
      });
      return { data: true };
    },
  };
}

/** The user routes: add or invite, list members, get one, remove from the scope. */
export function userRoutes(context: ManagementContext): Route[] {
  return [addRoute(context), listRoute(context), getRoute(context), removeRoute(context)];
}
