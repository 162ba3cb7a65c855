import { canResend, type InviteToken, newInviteSecret, parseInviteToken } from '../../../core/invite.js';
import { type Scope, sameScope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { inviteSk, userSk } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  findInvite,
  findUser,
  invitesOf,
  invitesOfUser,
  type Versioned,
} from '../../../store/readers/user-readers.js';
import { inviteItem, type StoredInvite } from '../../../store/user-items.js';
import { authenticateInAccount, originOf, tokenAccountOf } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { actingAs, type WriteActor } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { authenticatedScope, nextMeta, requireScopeAndPermission } from '../principals/principal-request.js';
import { requestScope } from '../request-scope.js';
import { aclAggregateFilterSchema } from '../users/user-harness-routes.js';
import { acceptInviteBodySchema, inviteBodySchema } from '../users/user-schemas.js';
import { writeAccount } from '../write-account.js';
import { InviteInvalidError, planAccept } from './accept-plan.js';
import { deliverInvites, requireDelivery } from './deliver-invites.js';
import { type InviteDto, inviteDto } from './invite-dto.js';
import { principalOfInviter } from './inviter.js';

/**
 * Invite endpoints (DESIGN §6.2, §7): list the invites of a scope (`core_user_view`), resend one
 * while its 30-day window lasts (409 `INVITE_RESEND_WINDOW_CLOSED` after) and delete one
 * (`core_user_invite`), and accept one without authentication (the token is the credential).
 */

/** The 409 code of a resend after the 30-day window. */
export const RESEND_WINDOW_CLOSED = 'INVITE_RESEND_WINDOW_CLOSED';

/**
 * The invite `{id}` (or `{inviteId}`) of the path, or 404. When the query names an organization or a
 * project, the invite must live at exactly that scope; with only the account (as Harness's clients
 * send it: the invite id names the invite), it may live anywhere in the account.
 */
function requireInviteAt(
  policy: AccountPolicy,
  request: ApiRequest,
  scope: Scope | undefined,
): Versioned<StoredInvite> {
  const id = request.pathParameters.id ?? request.pathParameters.inviteId ?? request.query.inviteId ?? '';
  const found = id === '' ? undefined : findInvite(policy.items, policy.accountId, id);
  if (!found || (scope && !sameScope(found.value.scope, scope))) {
    throw new NotFoundError(`Invite ${id} does not exist${scope ? ` in ${scopePath(scope)}` : ''}`);
  }
  return found;
}

/** The query's scope when it names an organization or a project; `undefined` for the account alone. */
function narrowingScope(request: ApiRequest): Scope | undefined {
  const scope = requestScope(request);
  return scope.level === 'account' ? undefined : scope;
}

/**
 * Authenticates an invite request by id: the account is the `accountIdentifier` query parameter, else
 * the token's (the Harness UI deletes invites with no query parameter but `routingId`).
 */
async function authenticatedForInvite(context: ManagementContext, request: ApiRequest) {
  const accountId = request.query.accountIdentifier || tokenAccountOf(request);
  if (!accountId) return authenticatedScope(context, request).then(({ auth }) => auth);
  const auth = await authenticateInAccount(request, context.cache, context.now(), accountId);
  return auth;
}

/** Deleting an invite: the invite, and its user when still pending and not invited anywhere else. */
function inviteDeletion(policy: AccountPolicy, invite: StoredInvite): ChangeOperation[] {
  const operations: ChangeOperation[] = [{ kind: 'delete', sk: inviteSk(invite.inviteId) }];
  const user = findUser(policy.items, invite.userId);
  const invitedElsewhere = invitesOfUser(policy.items, policy.accountId, invite.userId).some(
    (other) => other.value.inviteId !== invite.inviteId,
  );
  if (user?.value.status === 'PENDING' && !invitedElsewhere) {
    operations.push({ kind: 'delete', sk: userSk(invite.userId) });
  }
  return operations;
}

/** The invites living at exactly `scope` whose e-mail contains `searchTerm`, oldest first, as DTOs at `now`. */
function invitesAt(
  policy: AccountPolicy,
  accountId: string,
  scope: Scope,
  searchTerm: string | undefined,
  now: number,
): InviteDto[] {
  const term = searchTerm?.trim().toLowerCase();
  return invitesOf(policy.items, accountId)
    .map((entry) => entry.value)
    .filter((invite) => sameScope(invite.scope, scope) && (!term || invite.email.includes(term)))
    .sort((a, b) => a.createdAt - b.createdAt || a.email.localeCompare(b.email))
    .map((invite) => inviteDto(invite, now));
}

function listRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/invites',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_user_view',
        resourceType: 'USER',
      });
      const invites = invitesAt(auth.policy, auth.accountId, scope, request.query.searchTerm, context.now());
      return { data: pageOf(invites, pageIndex, pageSize) };
    },
  };
}

/** Resends an invite found by {@link requireInviteAt}: a new link, `lastSentAt` now, while the 30-day window lasts. */
async function resendInvite(context: ManagementContext, request: ApiRequest) {
  const auth = await authenticatedForInvite(context, request);
  const scope = request.query.accountIdentifier ? narrowingScope(request) : undefined;
  const delivery = requireDelivery(context);
  const sent = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    const { value, meta } = requireInviteAt(policy, request, scope);
    requireScopeAndPermission(auth, policy, value.scope, {
      permission: 'core_user_invite',
      resourceType: 'USER',
    });
    const now = context.now();
    if (!canResend(value, now)) {
      throw new ConflictError(
        `Invite ${value.inviteId} was first sent more than 30 days ago and can no longer be resent; delete it and invite again`,
        RESEND_WINDOW_CLOSED,
      );
    }
    const { secret, tokenHash } = newInviteSecret();
    const invite: StoredInvite = { ...value, lastSentAt: now, state: 'PENDING', tokenHash };
    const item = inviteItem(policy.accountId, invite, nextMeta(meta, now));
    return {
      operations: [{ kind: 'replace', item, expectedVersion: meta.version }],
      result: { invite, secret },
    };
  });
  await deliverInvites(delivery, [sent]);
  return inviteDto(sent.invite, context.now());
}

/** `POST /ng/api/invites/{id}/resend`: our earlier path, kept as an alias of `PUT /ng/api/invites/{inviteId}`. */
function resendRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/invites/{id}/resend',
    handler: async (request) => ({ data: await resendInvite(context, request) }),
  };
}

/**
 * `PUT /ng/api/invites/{inviteId}` as Harness serves it ("resend the invite email"): the body is the
 * invite as the client has it (Harness `Invite`); it must name the invite's e-mail, and changes nothing
 * else (an invite's groups and roles are fixed when it is sent).
 */
function updateRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: '/ng/api/invites/{inviteId}',
    handler: async (request) => {
      const auth = await authenticatedForInvite(context, request);
      const body = parseInput(inviteBodySchema, request.body);
      const policy = await context.cache.current(auth.accountId);
      const current =
        policy && findInvite(policy.items, policy.accountId, request.pathParameters.inviteId ?? '');
      if (current && current.value.email !== body.email.toLowerCase()) {
        throw new InvalidRequestError('The invite e-mail cannot change', [
          fieldError('email', `must be the invite's e-mail (${current.value.email})`),
        ]);
      }
      return { data: await resendInvite(context, request) };
    },
  };
}

function deleteRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: '/ng/api/invites/{id}',
    handler: async (request) => {
      const auth = await authenticatedForInvite(context, request);
      const scope = request.query.accountIdentifier ? narrowingScope(request) : undefined;
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        const { value } = requireInviteAt(policy, request, scope);
        requireScopeAndPermission(auth, policy, value.scope, {
          permission: 'core_user_invite',
          resourceType: 'USER',
        });
        return { operations: inviteDeletion(policy, value), result: inviteDto(value, context.now()) };
      });
      return { data };
    },
  };
}

/** `GET /ng/api/invites/invite?inviteId=…`: one invite (`core_user_view` at its scope). */
function getRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: '/ng/api/invites/invite',
    handler: async (request) => {
      const auth = await authenticatedForInvite(context, request);
      if (!request.query.inviteId) {
        throw new InvalidRequestError('inviteId is required', [
          fieldError('inviteId', 'must be given as a query parameter (jwttoken lookups are not served)'),
        ]);
      }
      const { value } = requireInviteAt(auth.policy, request, undefined);
      requireScopeAndPermission(auth, auth.policy, value.scope, {
        permission: 'core_user_view',
        resourceType: 'USER',
      });
      return { data: inviteDto(value, context.now()) };
    },
  };
}

/**
 * `POST /ng/api/invites/aggregate` (the Harness UI's pending-users tab): a page of the scope's
 * pending invites, narrowed by `searchTerm` and by the body's `ACLAggregateFilter` (invites binding
 * one of `roleIdentifiers` / `resourceGroupIdentifiers`).
 */
function aggregateRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/invites/aggregate',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      const filter = parseInput(aclAggregateFilterSchema, request.body ?? {});
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_user_view',
        resourceType: 'USER',
      });
      const roles = filter.roleIdentifiers?.length ? new Set(filter.roleIdentifiers) : undefined;
      const groups = filter.resourceGroupIdentifiers?.length
        ? new Set(filter.resourceGroupIdentifiers)
        : undefined;
      const invites = invitesAt(
        auth.policy,
        auth.accountId,
        scope,
        request.query.searchTerm,
        context.now(),
      ).filter(
        (invite) =>
          (!roles && !groups) ||
          invite.roleBindings.some(
            (binding) =>
              (!roles || roles.has(binding.roleIdentifier)) &&
              (!groups || groups.has(binding.resourceGroupIdentifier)),
          ),
      );
      return { data: pageOf(invites, pageIndex, pageSize) };
    },
  };
}

/**
 * Whose authority an accept acts on: the invite's sender, as it is now (DESIGN §6.1), so an invite
 * gives nothing its sender no longer holds. An unknown invite (refused by the plan) or sender acts as
 * a system actor, which holds nothing.
 */
async function inviterOf(
  context: ManagementContext,
  token: InviteToken,
  request: ApiRequest,
): Promise<WriteActor> {
  const policy = await context.cache.current(token.accountId);
  const invite = policy && findInvite(policy.items, token.accountId, token.inviteId)?.value;
  const sender = invite && principalOfInviter(invite.invitedBy);
  const origin = originOf(request);
  return sender
    ? {
        kind: 'PRINCIPAL',
        principal: sender,
        origin,
        performedBy: { type: 'USER', identifier: invite.userId },
      }
    : { kind: 'SYSTEM', job: 'invite acceptance', origin };
}

function acceptRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/invites/accept',
    handler: async (request) => {
      const body = parseInput(acceptInviteBodySchema, request.body);
      const token = parseInviteToken(body.token);
      if (!token) throw new InviteInvalidError('The invite token is not valid');
      try {
        const actor = await inviterOf(context, token, request);
        const data = await writeAccount(context, token.accountId, actor, (policy) =>
          planAccept(policy, token, body.name, context.now()),
        );
        return { data };
      } catch (error) {
        if (error instanceof NotFoundError)
          throw new InviteInvalidError('The invite token is not valid', { cause: error });
        throw error;
      }
    },
  };
}

/** The invite routes: list, read, the pending aggregate, resend (and its alias), delete, accept. */
export function inviteRoutes(context: ManagementContext): Route[] {
  return [
    listRoute(context),
    getRoute(context),
    aggregateRoute(context),
    resendRoute(context),
    updateRoute(context),
    deleteRoute(context),
    acceptRoute(context),
  ];
}
