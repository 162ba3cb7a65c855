import { randomBytes } from 'node:crypto';

/**
 * Users of an account (DESIGN §3.2). A user is `PENDING` from the first invite until an invite is
 * accepted, then `ACTIVE`; only active users can be scope members, so a pending user has no access.
 * User ids are opaque strings (DESIGN §10), random and URL-safe for users created here.
 */

/** Whether a user has accepted an invite yet. */
export type UserStatus = 'PENDING' | 'ACTIVE';

/** Every user status. */
export const USER_STATUSES: readonly UserStatus[] = ['PENDING', 'ACTIVE'];

/** A user of an account: the e-mail is stored lower-case and unique within the account. */
export interface User {
  readonly userId: string;
  readonly email: string;
  readonly status: UserStatus;
  /** Given on accept; a pending user has none. */
  readonly name?: string;
}

/** A new random user id: 16 bytes from the CSPRNG as base64url (22 URL-safe characters). */
export function newUserId(): string {
  return randomBytes(16).toString('base64url');
}

/** The canonical form of an e-mail address: trimmed and lower-case (addresses compare case-insensitively). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Whether `adding` more seats fit under `maxUsers` (unset = unlimited) when `inUse` seats (active
 * plus pending users) are taken.
 */
export function seatsAvailable(maxUsers: number | undefined, inUse: number, adding: number): boolean {
  return maxUsers === undefined || adding === 0 || inUse + adding <= maxUsers;
}
