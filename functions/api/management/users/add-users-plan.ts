import { newInviteId, newInviteSecret } from '../../../core/invite.js';
import { type Scope, scopePath } from '../../../core/scope.js';
import { newUserId, normalizeEmail, seatsAvailable } from '../../../core/user.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import {
  inviteItem,
  inviteItemDeletion,
  type RoleBinding,
  type StoredInvite,
} from '../../../store/entities/invites.js';
import { hasMembership, userItem } from '../../../store/entities/users.js';
import {
  accountSettingsOf,
  findUserByEmail,
  invitesOfUser,
  seatsInUse,
} from '../../../store/readers/user-readers.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { ConflictError, InvalidRequestError } from '../../http/errors.js';
import { actingAs, requireNoEscalation } from '../escalation-guard.js';
import { inviterTag } from '../invites/inviter.js';
import { newMeta } from '../principals/principal-request.js';
import type { WritePlan } from '../write-account.js';
import { MAX_OPERATIONS_PER_COMMIT } from '../write-account.js';
import { requireGrantable } from './invite-grants.js';
import { membershipGrantOperations } from './scope-membership-grant.js';

/**
 * Planning of `POST /ng/api/user/users` (DESIGN §6.2, §7) against one policy state. Per e-mail:
 * - unknown → a pending user and an invite to the scope (one seat): `USER_INVITED_SUCCESSFULLY`;
 * - a pending user already invited to this scope → unchanged: `USER_ALREADY_INVITED` (resend is
 *   `POST /ng/api/invites/{id}/resend`); a pending user invited elsewhere → a second invite for the
 *   same user (no new seat): `USER_INVITED_SUCCESSFULLY`;
 * - an active user with a membership item at the scope → unchanged: `USER_ALREADY_ADDED`;
 * - another active user → member of the scope (and its ancestors) at once, with the groups and
 *   bindings: `USER_ADDED_SUCCESSFULLY`.
 * The whole request is one transaction: a seat limit it would pass (409 `SEAT_LIMIT_REACHED`) or a
 * request too big for one transaction (400 naming `emails`) changes nothing.
 */

/** The outcome for one e-mail (Harness `InviteOperationResponse`). */
export type AddUserResponse =
  | 'USER_INVITED_SUCCESSFULLY'
  | 'USER_ADDED_SUCCESSFULLY'
  | 'USER_ALREADY_ADDED'
  | 'USER_ALREADY_INVITED';

/** What to request: the scope, the e-mails and what every added or invited user is given. */
export interface AddUsersRequest {
  readonly scope: Scope;
  readonly emails: readonly string[];
  readonly userGroups: readonly string[];
  readonly roleBindings: readonly RoleBinding[];
}

/** An invite to deliver once the write has committed: where it goes and its raw token parts. */
export interface InviteToSend {
  readonly invite: StoredInvite;
  readonly secret: string;
}

/** The answer of the write: the response map and the invites to deliver. */
export interface AddUsersOutcome {
  readonly addUserResponseMap: Record<string, AddUserResponse>;
  readonly invitesToSend: readonly InviteToSend[];
}

/** The 409 of an exhausted seat limit. */
export const SEAT_LIMIT_REACHED = 'SEAT_LIMIT_REACHED';

/**
 * Plans the request against `auth.policy` at `now` (see the module comment). The caller must already
 * hold `core_user_invite` at the scope; groups and bindings are checked by `requireGrantable`.
 */
export function planAddUsers(
  auth: AuthenticatedRequest,
  request: AddUsersRequest,
  now: number,
): WritePlan<AddUsersOutcome> {
  const { policy } = auth;
  const { scope, userGroups, roleBindings } = request;
  requireGrantable(auth, scope, userGroups, roleBindings);
  const operations: ChangeOperation[] = [];
  const addUserResponseMap: Record<string, AddUserResponse> = {};
  const invitesToSend: InviteToSend[] = [];
  let newSeats = 0;
  const invite = (email: string, userId: string) => {
    // What accepting will give the invitee must be held by the sender now (and again at accept).
    requireNoEscalation(
      actingAs(auth),
      policy,
      membershipGrantOperations(policy, userId, scope, userGroups, roleBindings, now),
    );
    const { secret, tokenHash } = newInviteSecret();
    const stored: StoredInvite = {
      inviteId: newInviteId(),
      email,
      userId,
      scope,
      userGroups: [...new Set(userGroups)],
      roleBindings,
      createdAt: now,
      lastSentAt: now,
      state: 'PENDING',
      tokenHash,
      invitedBy: inviterTag(auth.caller),
    };
    operations.push({ kind: 'create', item: inviteItem(policy.accountId, stored, newMeta(now)) });
    invitesToSend.push({ invite: stored, secret });
  };
  for (const email of new Set(request.emails.map(normalizeEmail))) {
    const user = findUserByEmail(policy.items, email);
    const invites = user ? invitesOfUser(policy.items, policy.accountId, user.value.userId) : [];
    const pendingHere = invites.find(
      (entry) => entry.value.email === email && scopePath(entry.value.scope) === scopePath(scope),
    );
    if (!user) {
      const userId = newUserId();
      operations.push({
        kind: 'create',
        item: userItem(policy.accountId, { userId, email, status: 'PENDING' }, newMeta(now)),
      });
      invite(email, userId);
      newSeats++;
      addUserResponseMap[email] = 'USER_INVITED_SUCCESSFULLY';
    } else if (user.value.status === 'PENDING') {
      if (pendingHere) addUserResponseMap[email] = 'USER_ALREADY_INVITED';
      else {
        // A pending user whose invites are all gone (its scope was deleted) holds no seat until invited again.
        if (invites.length === 0) newSeats++;
        invite(email, user.value.userId);
        addUserResponseMap[email] = 'USER_INVITED_SUCCESSFULLY';
      }
    } else if (hasMembership(policy.items, user.value.userId, scope)) {
      addUserResponseMap[email] = 'USER_ALREADY_ADDED';
    } else {
      operations.push(
        ...membershipGrantOperations(policy, user.value.userId, scope, userGroups, roleBindings, now),
      );
      if (pendingHere) operations.push(inviteItemDeletion(pendingHere.value.inviteId));
      addUserResponseMap[email] = 'USER_ADDED_SUCCESSFULLY';
    }
  }
  const { maxUsers } = accountSettingsOf(policy.items).value;
  // Counting seats reads every user: only when a limit could be crossed.
  const limited = maxUsers !== undefined && newSeats > 0;
  if (limited && !seatsAvailable(maxUsers, seatsInUse(policy.items, policy.accountId), newSeats)) {
    throw new ConflictError(
      `Inviting ${newSeats} new user(s) would exceed the seat limit of ${maxUsers} users (active plus pending) of this account`,
      SEAT_LIMIT_REACHED,
    );
  }
  if (operations.length > MAX_OPERATIONS_PER_COMMIT) {
    throw new InvalidRequestError('Too many changes for one request', [
      fieldError(
        'emails',
        'too many users for these user groups and role bindings in one request; split the request',
      ),
    ]);
  }
  return { operations, result: { addUserResponseMap, invitesToSend } };
}
