import { canResend, type InviteToken, newInviteSecret, parseInviteToken } from '../../../core/invite.js';
import { type Scope, sameScope, scopePath } from '../../../core/scope.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { inviteSk, userSk } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { findInvite, findUser, invitesOf, type Versioned } from '../../../store/readers/user-readers.js';
import { inviteItem, type StoredInvite } from '../../../store/user-items.js';
import { originOf } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { ConflictError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery, parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { actingAs, type WriteActor } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { authenticatedScope, nextMeta, requireScopeAndPermission } from '../principals/principal-request.js';
import { acceptInviteBodySchema } from '../users/user-schemas.js';
import { writeAccount } from '../write-account.js';
import { InviteInvalidError, planAccept } from './accept-plan.js';
import { deliverInvites, requireDelivery } from './deliver-invites.js';
import { inviteDto } from './invite-dto.js';
import { principalOfInviter } from './inviter.js';

/**
 * Invite endpoints (DESIGN §6.2, §7): list the invites of a scope (`core_user_view`), resend one
 * while its 30-day window lasts (409 `INVITE_RESEND_WINDOW_CLOSED` after) and delete one
 * (`core_user_invite`), and accept one without authentication (the token is the credential).
 */

/** The 409 code of a resend after the 30-day window. */
export const RESEND_WINDOW_CLOSED = 'INVITE_RESEND_WINDOW_CLOSED';

/** The invite `{id}` of the path living at exactly `scope`, or 404. */
function requireInviteAt(policy: AccountPolicy, scope: Scope, request: ApiRequest): Versioned<StoredInvite> {
  const id = request.pathParameters.id ?? '';
  const found = id === '' ? undefined : findInvite(policy.items, policy.accountId, id);
  if (!found || !sameScope(found.value.scope, scope)) {
    throw new NotFoundError(`Invite ${id} does not exist in ${scopePath(scope)}`);
  }
  return found;
}

/** Deleting an invite: the invite, and its user when still pending and not invited anywhere else. */
function inviteDeletion(policy: AccountPolicy, invite: StoredInvite): ChangeOperation[] {
  const operations: ChangeOperation[] = [{ kind: 'delete', sk: inviteSk(invite.inviteId) }];
  const user = findUser(policy.items, invite.userId);
  const invitedElsewhere = invitesOf(policy.items, policy.accountId).some(
    (other) => other.value.userId === invite.userId && other.value.inviteId !== invite.inviteId,
  );
  if (user?.value.status === 'PENDING' && !invitedElsewhere) {
    operations.push({ kind: 'delete', sk: userSk(invite.userId) });
  }
  return operations;
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
      const term = request.query.searchTerm?.trim().toLowerCase();
      const now = context.now();
      const invites = invitesOf(auth.policy.items, auth.accountId)
        .map((entry) => entry.value)
        .filter((invite) => sameScope(invite.scope, scope) && (!term || invite.email.includes(term)))
        .sort((a, b) => a.createdAt - b.createdAt || a.email.localeCompare(b.email))
        .map((invite) => inviteDto(invite, now));
      return { data: pageOf(invites, pageIndex, pageSize) };
    },
  };
}

function resendRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: '/ng/api/invites/{id}/resend',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const delivery = requireDelivery(context);
      const sent = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_user_invite',
          resourceType: 'USER',
        });
        const { value, meta } = requireInviteAt(policy, scope, request);
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
      return { data: inviteDto(sent.invite, context.now()) };
    },
  };
}

function deleteRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: '/ng/api/invites/{id}',
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_user_invite',
          resourceType: 'USER',
        });
        const { value } = requireInviteAt(policy, scope, request);
        return { operations: inviteDeletion(policy, value), result: inviteDto(value, context.now()) };
      });
      return { data };
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

/** The invite routes: list, resend, delete, accept. */
export function inviteRoutes(context: ManagementContext): Route[] {
  return [listRoute(context), resendRoute(context), deleteRoute(context), acceptRoute(context)];
}
