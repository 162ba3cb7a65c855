import type { Scope } from '../../../core/scope.js';
import { scopePath } from '../../../core/scope.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { isScopeMember } from '../../../store/readers/access-readers.js';
import { findUser } from '../../../store/readers/user-readers.js';
import { NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import { deliverInvites, requireDelivery } from '../invites/deliver-invites.js';
import type { ManagementContext } from '../management-context.js';
import { matchingSearchTerm, viewableRecords } from '../principals/principal-request.js';
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

/** The member `userId` of `scope` as a DTO, or 404. */
function requireMember(policy: AccountPolicy, scope: Scope, userId: string): UserDto {
  if (!isScopeMember(policy.items, userId, scope)) {
    throw new NotFoundError(`User ${userId} is not a member of ${scopePath(scope)}`);
  }
  return userDto(userId, findUser(policy.items, userId)?.value);
}

const TAG = 'Users and invites';
const USER = '/ng/api/user/{userId}';
const userNotFound = (userId: string) => `User ${userId} does not exist`;

function addUsers(context: ManagementContext) {
  return endpoint({
    method: 'POST',
    path: '/ng/api/user/users',
    summary: 'Add users to the scope; unknown e-mails are invited (data.addUserResponseMap)',
    tag: TAG,
    body: addUsersBodySchema,
    needs: { permission: 'core_user_invite', resourceType: RESOURCE_TYPE },
    handle: async ({ scope, body, now, write }) => {
      const delivery = requireDelivery(context);
      const roleBindings = (body.roleBindings ?? []).map((binding) => ({
        roleIdentifier: binding.roleIdentifier,
        resourceGroupIdentifier: binding.resourceGroupIdentifier,
      }));
      const outcome = await write((_policy, caller) =>
        planAddUsers(
          caller,
          { scope, emails: body.emails, userGroups: body.userGroups ?? [], roleBindings },
          now(),
        ),
      );
      await deliverInvites(delivery, outcome.invitesToSend);
      return { addUserResponseMap: outcome.addUserResponseMap };
    },
  });
}

const listMembers = endpoint({
  method: 'GET',
  path: '/ng/api/user/users',
  summary: 'List the members of the scope (ours; Harness lists with POST /ng/api/user/aggregate)',
  tag: TAG,
  paged: true,
  needs: 'per-resource',
  handle: async ({ request, auth, scope, page }) => {
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
    return page(visible.map((record) => record.dto));
  },
});

const getMember = endpoint({
  method: 'GET',
  path: USER,
  summary: 'Get a member of the scope (ours; Harness reads GET /ng/api/user/aggregate/{userId})',
  tag: TAG,
  identifierParameter: 'userId',
  needs: { permission: 'core_user_view', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound: userNotFound,
  handle: async ({ auth, scope, identifier }) => requireMember(auth.policy, scope, identifier),
});

const removeMember = endpoint({
  method: 'DELETE',
  path: USER,
  summary: 'Remove a user from the scope (from the account: with its groups, assignments and tokens)',
  tag: TAG,
  identifierParameter: 'userId',
  needs: { permission: 'core_user_manage', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound: userNotFound,
  handle: ({ scope, identifier: userId, write }) =>
    write((policy) => {
      const operations = planUserRemoval(policy, userId, scope);
      if (operations.length === 0) requireMember(policy, scope, userId);
      return { operations, result: true };
    }),
});

/** The user routes: add or invite, list members, get one, remove from the scope. */
export function userRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [addUsers(context), listMembers, getMember, removeMember]);
}
