import * as z from 'zod';
import { canResend, type InviteToken, newInviteSecret, parseInviteToken } from '../../../core/invite.js';
import { type Scope, sameScope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { inviteItem, inviteItemDeletion, type StoredInvite } from '../../../store/entities/invites.js';
import { userDeletion } from '../../../store/entities/users.js';
import type { Versioned } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { findInvite, findUser, invitesOf, invitesOfUser } from '../../../store/readers/user-readers.js';
import { originOf } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { parseInput } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import { type DeclaredCall, declareRoutes, endpoint } from '../declared-route.js';
import type { WriteActor } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { nextMeta, requireScopeAndPermission } from '../principals/principal-request.js';
import { aclAggregateFilterSchema, aclAggregateMatcher } from '../users/user-harness-routes.js';
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
 * The invite `id`, or 404. When the request's query names an organization or a project with its
 * account, the invite must live at exactly that scope; with only the account, or no query at all (as
 * Harness's clients send it: the invite id names the invite), it may live anywhere in the account.
 */
function requireInviteAt(
  policy: AccountPolicy,
  id: string,
  scope: Scope | undefined,
): Versioned<StoredInvite> {
  const found = id === '' ? undefined : findInvite(policy.items, policy.accountId, id);
  if (!found || (scope && !sameScope(found.value.scope, scope))) {
    throw new NotFoundError(`Invite ${id} does not exist${scope ? ` in ${scopePath(scope)}` : ''}`);
  }
  return found;
}

/** The scope an invite looked up by id must live at: the query's organization or project, when the query names its account. */
function narrowingScope(request: ApiRequest, scope: Scope): Scope | undefined {
  return request.query.accountIdentifier && scope.level !== 'account' ? scope : undefined;
}

/** Deleting an invite: the invite, and its user when still pending and not invited anywhere else. */
function inviteDeletion(policy: AccountPolicy, invite: StoredInvite): ChangeOperation[] {
  const operations: ChangeOperation[] = [inviteItemDeletion(invite.inviteId)];
  const user = findUser(policy.items, invite.userId);
  const invitedElsewhere = invitesOfUser(policy.items, policy.accountId, invite.userId).some(
    (other) => other.value.inviteId !== invite.inviteId,
  );
  if (user?.value.status === 'PENDING' && !invitedElsewhere) {
    operations.push(userDeletion(invite.userId));
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

const TAG = 'Users and invites';
const inviteNotFound = (id: string) => `Invite ${id} does not exist`;

/** The query of the invite lists: `searchTerm` on the e-mail. */
const searchTermQuerySchema = z.object({ searchTerm: z.string().optional() });

/** The query of `GET /ng/api/invites/invite`: the invite's id (Harness's `jwttoken` lookups are not served). */
const inviteQuerySchema = z.object({
  inviteId: z
    .string('must be given as a query parameter (jwttoken lookups are not served)')
    .min(1, 'must be given as a query parameter (jwttoken lookups are not served)'),
});

const listInvites = endpoint({
  method: 'GET',
  path: '/ng/api/invites',
  summary: 'List the invites of the scope with their link and resend deadlines',
  tag: TAG,
  query: searchTermQuerySchema,
  paged: true,
  needs: { permission: 'core_user_view', resourceType: 'USER' },
  handle: async ({ auth, scope, query, now, page }) =>
    page(invitesAt(auth.policy, auth.accountId, scope, query.searchTerm, now())),
});

/** Resends invite `id`: a new link, `lastSentAt` now, while the 30-day window lasts (`core_user_invite` at its scope). */
async function resendInvite(
  context: ManagementContext,
  call: DeclaredCall<unknown, unknown>,
): Promise<InviteDto> {
  const { request, scope, identifier, now, write } = call;
  const delivery = requireDelivery(context);
  const sent = await write((policy, caller) => {
    const { value, meta } = requireInviteAt(policy, identifier, narrowingScope(request, scope));
    requireScopeAndPermission(caller, policy, value.scope, {
      permission: 'core_user_invite',
      resourceType: 'USER',
    });
    const at = now();
    if (!canResend(value, at)) {
      throw new ConflictError(
        `Invite ${value.inviteId} was first sent more than 30 days ago and can no longer be resent; delete it and invite again`,
        RESEND_WINDOW_CLOSED,
      );
    }
    const { secret, tokenHash } = newInviteSecret();
    const invite: StoredInvite = { ...value, lastSentAt: at, state: 'PENDING', tokenHash };
    const item = inviteItem(policy.accountId, invite, nextMeta(meta, at));
    return {
      operations: [{ kind: 'replace', item, expectedVersion: meta.version }],
      result: { invite, secret },
    };
  });
  await deliverInvites(delivery, [sent]);
  return inviteDto(sent.invite, now());
}

/** `POST /ng/api/invites/{id}/resend`: our earlier path, kept as an alias of `PUT /ng/api/invites/{inviteId}`. */
function resendByAlias(context: ManagementContext) {
  return endpoint({
    method: 'POST',
    path: '/ng/api/invites/{id}/resend',
    summary: 'Resend an invite (our earlier path, an alias of PUT /ng/api/invites/{inviteId})',
    tag: TAG,
    accountFrom: 'query-or-token',
    identifierParameter: 'id',
    needs: 'per-resource',
    notFound: inviteNotFound,
    handle: (call) => resendInvite(context, call),
  });
}

/**
 * `PUT /ng/api/invites/{inviteId}` as Harness serves it ("resend the invite email"): the body is the
 * invite as the client has it (Harness `Invite`); it must name the invite's e-mail, and changes nothing
 * else (an invite's groups and roles are fixed when it is sent).
 */
function resend(context: ManagementContext) {
  return endpoint({
    method: 'PUT',
    path: '/ng/api/invites/{inviteId}',
    summary: 'Resend an invite (new link valid 7 days; 409 after 30 days from the first send)',
    tag: TAG,
    body: inviteBodySchema,
    accountFrom: 'query-or-token',
    identifierParameter: 'inviteId',
    needs: 'per-resource',
    notFound: inviteNotFound,
    handle: (call) => {
      const { auth, identifier, body } = call;
      const current = findInvite(auth.policy.items, auth.accountId, identifier);
      if (current && current.value.email !== body.email.toLowerCase()) {
        throw new InvalidRequestError('The invite e-mail cannot change', [
          fieldError('email', `must be the invite's e-mail (${current.value.email})`),
        ]);
      }
      return resendInvite(context, call);
    },
  });
}

const deleteInvite = endpoint({
  method: 'DELETE',
  path: '/ng/api/invites/{id}',
  summary: 'Delete an invite (the account from the query or the token)',
  tag: TAG,
  accountFrom: 'query-or-token',
  identifierParameter: 'id',
  needs: 'per-resource',
  notFound: inviteNotFound,
  handle: ({ request, scope, identifier, now, write }) =>
    write((policy, caller) => {
      const { value } = requireInviteAt(policy, identifier, narrowingScope(request, scope));
      requireScopeAndPermission(caller, policy, value.scope, {
        permission: 'core_user_invite',
        resourceType: 'USER',
      });
      return { operations: inviteDeletion(policy, value), result: inviteDto(value, now()) };
    }),
});

/** `GET /ng/api/invites/invite?inviteId=…`: one invite (`core_user_view` at its scope), wherever it lives in the account. */
const getInvite = endpoint({
  method: 'GET',
  path: '/ng/api/invites/invite',
  summary: 'One invite by inviteId',
  tag: TAG,
  query: inviteQuerySchema,
  accountFrom: 'query-or-token',
  needs: 'per-resource',
  handle: async ({ auth, query: { inviteId }, now }) => {
    const { value } = requireInviteAt(auth.policy, inviteId, undefined);
    requireScopeAndPermission(auth, auth.policy, value.scope, {
      permission: 'core_user_view',
      resourceType: 'USER',
    });
    return inviteDto(value, now());
  },
});

/**
 * `POST /ng/api/invites/aggregate` (the Harness UI's pending-users tab): a page of the scope's
 * pending invites, narrowed by `searchTerm` and by the body's `ACLAggregateFilter` (invites binding
 * one of `roleIdentifiers` / `resourceGroupIdentifiers`).
 */
const aggregateInvites = endpoint({
  method: 'POST',
  path: '/ng/api/invites/aggregate',
  summary: 'The pending invites of the scope (ACLAggregateFilter, searchTerm)',
  tag: TAG,
  body: aclAggregateFilterSchema,
  emptyBody: {},
  query: searchTermQuerySchema,
  paged: true,
  needs: { permission: 'core_user_view', resourceType: 'USER' },
  handle: async ({ auth, scope, body: filter, query, now, page }) => {
    const matches = aclAggregateMatcher(filter);
    const invites = invitesAt(auth.policy, auth.accountId, scope, query.searchTerm, now()).filter((invite) =>
      matches(invite.roleBindings),
    );
    return page(invites);
  },
});

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
    doc: {
      summary: 'Accept an invite with its token (no x-api-key); data.userId and a first personal token',
      tag: TAG,
      body: acceptInviteBodySchema,
      authenticated: false,
      scoped: false,
    },
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
    ...declareRoutes(context, [
      listInvites,
      getInvite,
      aggregateInvites,
      resendByAlias(context),
      resend(context),
      deleteInvite,
    ]),
    acceptRoute(context),
  ];
}
