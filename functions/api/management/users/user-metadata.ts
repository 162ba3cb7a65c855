import type { User } from '../../../core/user.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { findUser } from '../../../store/readers/user-readers.js';

/**
 * Harness's `UserMetadataDTO` (v2 client `UserMetadata`): a user as the aggregate and member lists
 * show it. Nothing here locks users, disables them or syncs them from SCIM, so those flags are false.
 */
export interface UserMetadata {
  readonly uuid: string;
  readonly email: string;
  readonly name: string;
  readonly locked: boolean;
  readonly disabled: boolean;
  readonly externallyManaged: boolean;
  readonly twoFactorAuthenticationEnabled: boolean;
}

/** The metadata of `userId`; a user without a record (a membership written by other means) shows its id. */
export function userMetadata(userId: string, user: User | undefined): UserMetadata {
  return {
    uuid: userId,
    email: user?.email ?? '',
    name: user?.name ?? user?.email ?? userId,
    locked: false,
    disabled: false,
    externallyManaged: false,
    twoFactorAuthenticationEnabled: false,
  };
}

/** The metadata of `userId` as recorded in `policy`. */
export function userMetadataIn(policy: AccountPolicy, userId: string): UserMetadata {
  return userMetadata(userId, findUser(policy.items, userId)?.value);
}

/** Users matching a Harness `UserFilter`: `identifiers`, `emails` (case-insensitive) and `searchTerm` (name or e-mail). */
export function matchesUserFilter(
  user: UserMetadata,
  filter: {
    identifiers?: readonly string[] | null;
    emails?: readonly string[] | null;
    searchTerm?: string | null;
  },
): boolean {
  if (filter.identifiers?.length && !filter.identifiers.includes(user.uuid)) return false;
  if (
    filter.emails?.length &&
    !filter.emails.some((email) => email.toLowerCase() === user.email.toLowerCase())
  )
    return false;
  const term = filter.searchTerm?.trim().toLowerCase();
  return !term || user.name.toLowerCase().includes(term) || user.email.toLowerCase().includes(term);
}
