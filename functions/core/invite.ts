import { hashTokenSecret, newTokenId, newTokenSecret, secretMatches } from './token.js';

/**
 * The invite lifecycle (DESIGN §7), as pure rules over an invite's times. An invite is first sent
 * when it is created (`createdAt`) and again on every resend (`lastSentAt`):
 * - the accept link is valid until {@link linkExpiresAt} = `lastSentAt` + 7 days;
 * - it may be resent while `now` < {@link resendUntil} = `createdAt` + 30 days;
 * - it may be deleted by the cleanup job from {@link deletableAt} = the later of the two, so an
 *   invite whose link still works is never deleted, and nothing deletable can be accepted.
 * An accepted invite is deleted in the accepting transaction, so stored invites are never accepted.
 */

const DAY_MS = 24 * 3600 * 1000;

/** How long an accept link is valid after each send: 7 days. */
export const LINK_VALIDITY_MS = 7 * DAY_MS;

/** How long after its first send an invite may be resent: 30 days. */
export const RESEND_WINDOW_MS = 30 * DAY_MS;

/** The stored state of an invite: `PENDING` until the cleanup job marks it `EXPIRED` (its link lapsed). */
export type InviteState = 'PENDING' | 'EXPIRED';

/** Every stored invite state. */
export const INVITE_STATES: readonly InviteState[] = ['PENDING', 'EXPIRED'];

/** The times (epoch ms) the lifecycle rules read: the first send and the latest send. */
export interface InviteTimes {
  readonly createdAt: number;
  readonly lastSentAt: number;
}

/** The end (exclusive, epoch ms) of the accept link's validity: 7 days after the last send. */
export function linkExpiresAt(invite: InviteTimes): number {
  return invite.lastSentAt + LINK_VALIDITY_MS;
}

/** The end (exclusive, epoch ms) of the resend window: 30 days after the first send. */
export function resendUntil(invite: InviteTimes): number {
  return invite.createdAt + RESEND_WINDOW_MS;
}

/** When the cleanup job may delete the invite: once it can neither be resent nor accepted. */
export function deletableAt(invite: InviteTimes): number {
  return Math.max(resendUntil(invite), linkExpiresAt(invite));
}

/** The state an invite is in at `now`, whether or not the cleanup job has marked it yet. */
export function inviteStateAt(invite: InviteTimes, now: number): InviteState {
  return now < linkExpiresAt(invite) ? 'PENDING' : 'EXPIRED';
}

/** True while the invite may be resent (`now` before {@link resendUntil}). */
export function canResend(invite: InviteTimes, now: number): boolean {
  return now < resendUntil(invite);
}

/** What the cleanup job does with a stored invite at `now`. */
export type CleanupAction = 'NONE' | 'EXPIRE' | 'DELETE';

/**
 * The cleanup job's action: `DELETE` from {@link deletableAt}; else `EXPIRE` for a `PENDING` invite
 * whose link has lapsed; else `NONE` (so a second run at the same time does nothing).
 */
export function cleanupAction(
  invite: InviteTimes & { readonly state: InviteState },
  now: number,
): CleanupAction {
  if (now >= deletableAt(invite)) return 'DELETE';
  if (invite.state === 'PENDING' && now >= linkExpiresAt(invite)) return 'EXPIRE';
  return 'NONE';
}

/** When the cleanup job next has something to do with an invite in `state` (its due time in the index). */
export function nextCleanupAt(invite: InviteTimes, state: InviteState): number {
  return state === 'PENDING' ? linkExpiresAt(invite) : deletableAt(invite);
}

/** Why an accept is refused: an unknown or superseded token, or an expired link. */
export type AcceptRefusal = 'INVITE_INVALID' | 'INVITE_EXPIRED';

/**
 * Decides an accept at `now`: `INVITE_INVALID` when there is no such invite or `secret` does not
 * match its current token hash (a superseded token included; constant-time comparison);
 * `INVITE_EXPIRED` when the link has lapsed; `undefined` when the accept may proceed.
 */
export function acceptRefusal(
  invite: (InviteTimes & { readonly tokenHash: string }) | undefined,
  secret: string,
  now: number,
): AcceptRefusal | undefined {
  if (invite === undefined || !secretMatches(secret, invite.tokenHash)) return 'INVITE_INVALID';
  if (now >= linkExpiresAt(invite)) return 'INVITE_EXPIRED';
  return undefined;
}

/** The prefix of an invite token string. */
export const INVITE_TOKEN_PREFIX = 'inv';

/** The parts of an invite token `inv.<accountId>.<inviteId>.<secret>`. */
export interface InviteToken {
  readonly accountId: string;
  readonly inviteId: string;
  readonly secret: string;
}

/** The longest invite token string {@link parseInviteToken} reads. */
export const MAX_INVITE_TOKEN_LENGTH = 1024;

/** A new random invite id (128 bits as base64url: URL-safe, no `.` or `#`). */
export function newInviteId(): string {
  return newTokenId();
}

/** A fresh secret for an invite's link and the hash to store in its place. */
export function newInviteSecret(): { readonly secret: string; readonly tokenHash: string } {
  const secret = newTokenSecret();
  return { secret, tokenHash: hashTokenSecret(secret) };
}

/** The token string of an invite: `inv.<accountId>.<inviteId>.<secret>`; throws when a part cannot be read back. */
export function formatInviteToken(token: InviteToken): string {
  const raw = [INVITE_TOKEN_PREFIX, token.accountId, token.inviteId, token.secret].join('.');
  const parsed = parseInviteToken(raw);
  if (
    parsed?.accountId !== token.accountId ||
    parsed.inviteId !== token.inviteId ||
    parsed.secret !== token.secret
  ) {
    throw new Error('Cannot format an invite token from the given parts');
  }
  return raw;
}

/** The parts of an invite token string, or `undefined` when it is not one. Never throws. */
export function parseInviteToken(raw: string): InviteToken | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_INVITE_TOKEN_LENGTH) return undefined;
  const parts = raw.split('.');
  if (parts.length !== 4) return undefined;
  const [prefix, accountId, inviteId, secret] = parts as [string, string, string, string];
  if (prefix !== INVITE_TOKEN_PREFIX || !accountId || !inviteId || !secret) return undefined;
  if (accountId.includes('#') || inviteId.includes('#')) return undefined;
  return { accountId, inviteId, secret };
}
