import { acceptRefusal, type InviteToken } from '../../../core/invite.js';
import { accountScope } from '../../../core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../../../core/token.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import { apiKeyItem, findApiKeyItem, tokenItem } from '../../../store/entities/credentials.js';
import { inviteItemDeletion } from '../../../store/entities/invites.js';
import { userItem } from '../../../store/entities/users.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { findInvite, findUser } from '../../../store/readers/user-readers.js';
import { ApiError, GoneError } from '../../http/errors.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../principals/api-key-routes.js';
import { newMeta, nextMeta } from '../principals/principal-request.js';
import { membershipGrantOperations } from '../users/scope-membership-grant.js';
import type { WritePlan } from '../write-account.js';

/**
 * Planning of `POST /ng/api/invites/accept` (DESIGN §7) against one policy state. One transaction
 * makes the invited user active (with the given name), a member of the invite's scope and its
 * ancestors, a member of the invite's groups, gives it the invite's role bindings as USER role
 * assignments, deletes the invite, and issues the user's first personal access token (`pat.…`, on
 * the API key {@link PERSONAL_API_KEY} at account scope, valid {@link DEFAULT_TOKEN_LIFETIME_MS}),
 * so the very next request sees the access and can use it.
 */

/** 400 `INVITE_INVALID`: no such invite, or a token that is not (or no longer) the invite's. */
export class InviteInvalidError extends ApiError {
  override readonly name = 'InviteInvalidError';
  readonly status = 400;
  readonly code = 'INVITE_INVALID';
}

/** The identifier of the personal API key an accepted user's first token is issued on. */
export const PERSONAL_API_KEY = 'personal';

/** What the accept answers: the user's id and its first personal access token (shown once). */
export interface AcceptOutcome {
  readonly userId: string;
  readonly token: string;
}

/** The first personal token of `userId` (and its API key, when the user has none yet). */
function firstTokenOperations(
  policy: AccountPolicy,
  userId: string,
  now: number,
): { operations: ChangeOperation[]; token: string } {
  const scope = accountScope(policy.accountId);
  const operations: ChangeOperation[] = [];
  if (!findApiKeyItem(policy.items, 'USER', userId, PERSONAL_API_KEY)) {
    const key = {
      identifier: PERSONAL_API_KEY,
      name: 'Personal key',
      apiKeyType: 'USER' as const,
      parentIdentifier: userId,
      scope,
    };
    operations.push({ kind: 'create', item: apiKeyItem(policy.accountId, key, newMeta(now)) });
  }
  const tokenId = newTokenId();
  const secret = newTokenSecret();
  const stored = {
    tokenId,
    identifier: `invite_token_${tokenId.replace(/[^0-9a-zA-Z_]/g, '_')}`,
    name: 'First token (invite accepted)',
    apiKeyIdentifier: PERSONAL_API_KEY,
    apiKeyType: 'USER' as const,
    parentIdentifier: userId,
    scope,
    secretHash: hashTokenSecret(secret),
    validFrom: now,
    validTo: now + DEFAULT_TOKEN_LIFETIME_MS,
  };
  operations.push({ kind: 'create', item: tokenItem(policy.accountId, stored, newMeta(now)) });
  return { operations, token: formatToken('pat', policy.accountId, tokenId, secret) };
}

/**
 * Plans the accept of `token` by a user called `name` at `now`: 400 `INVITE_INVALID` for an unknown
 * or superseded token, 410 `INVITE_EXPIRED` once the link lapsed (see `core/invite.ts`).
 */
export function planAccept(
  policy: AccountPolicy,
  token: InviteToken,
  name: string,
  now: number,
): WritePlan<AcceptOutcome> {
  const found = findInvite(policy.items, policy.accountId, token.inviteId);
  const refusal = acceptRefusal(found?.value, token.secret, now);
  if (refusal === 'INVITE_EXPIRED') {
    throw new GoneError('The invite link has expired; ask for the invite to be resent', 'INVITE_EXPIRED');
  }
  const user = found && findUser(policy.items, found.value.userId);
  if (refusal === 'INVITE_INVALID' || !found || !user) {
    throw new InviteInvalidError(
      'The invite token is not valid (unknown, superseded by a resend, or already used)',
    );
  }
  const invite = found.value;
  const operations: ChangeOperation[] = [];
  if (user.value.status === 'PENDING') {
    const active = { ...user.value, status: 'ACTIVE' as const, name: name.trim() };
    operations.push({
      kind: 'replace',
      item: userItem(policy.accountId, active, nextMeta(user.meta, now)),
      expectedVersion: user.meta.version,
    });
  }
  operations.push(
    ...membershipGrantOperations(
      policy,
      invite.userId,
      invite.scope,
      invite.userGroups,
      invite.roleBindings,
      now,
    ),
    inviteItemDeletion(invite.inviteId),
  );
  const first = firstTokenOperations(policy, invite.userId, now);
  operations.push(...first.operations);
  return { operations, result: { userId: invite.userId, token: first.token } };
}
