import type { ActingPrincipal } from '../core/principal.js';
import { parseToken, secretMatches, TOKEN_PREFIX_OF_API_KEY_TYPE, tokenExpiry } from '../core/token.js';
import { type StoredToken, tokenFromItem } from './entities/credentials.js';
import { ENTITY } from './keys.js';

/**
 * Token authentication against the cached items of an account partition (DESIGN §3.2, §6.1,
 * reference §9). Tokens are ordinary items of the account partition and flow through the change log
 * like every policy item, so the same cached state that answers access checks also validates the
 * `x-api-key`: no extra DynamoDB round trip, and a deleted or expired token is rejected on the very
 * next request.
 */

/** Why a request could not be authenticated. */
export type AuthenticationFailure =
  | 'MISSING'
  | 'MALFORMED'
  | 'UNKNOWN'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_ACCOUNT';

/** The outcome of {@link authenticate}: the principal the token acts as, or why it was rejected. */
export type AuthenticationResult =
  | { readonly ok: true; readonly principal: ActingPrincipal; readonly token: StoredToken }
  | { readonly ok: false; readonly reason: AuthenticationFailure };

/**
 * The tokens among the items of an account partition, by `tokenId`. Other entities are ignored. A
 * token item that cannot be read is left out, so it never authenticates (fail closed) while every
 * other token of the account keeps working.
 */
export function credentialsFromItems(items: Iterable<Record<string, unknown>>): Map<string, StoredToken> {
  const tokens = new Map<string, StoredToken>();
  for (const item of items) {
    if (item.entity !== ENTITY.Token) continue;
    let token: StoredToken;
    try {
      token = tokenFromItem(item);
    } catch {
      continue;
    }
    tokens.set(token.tokenId, token);
  }
  return tokens;
}

function failure(reason: AuthenticationFailure): AuthenticationResult {
  return { ok: false, reason };
}

/**
 * Authenticates the raw `x-api-key` of a request to account `accountId` at time `now` (epoch
 * milliseconds) against the account's tokens, in this order:
 * - no header (or an empty one) → `MISSING`; not a well-formed token string → `MALFORMED`;
 * - the account embedded in the token is not `accountId` → `WRONG_ACCOUNT`;
 * - no token with that id, a prefix that does not match the token's API key type (`sat` ↔
 *   `SERVICE_ACCOUNT`, `pat` ↔ `USER`), or a secret that does not match the stored hash (constant-time
 *   comparison) → `UNKNOWN`, indistinguishably;
 * - `now` at or after the effective expiry (`scheduledExpireTime` ?? `validTo`) → `EXPIRED`;
 * - `now` before `validFrom` → `NOT_YET_VALID`.
 *
 * On success the principal is the token's parent: the service account for `sat` tokens, the user for
 * `pat` tokens; a token has no permissions of its own. Pure and never throws.
 */
export function authenticate(
  tokens: ReadonlyMap<string, StoredToken>,
  accountId: string,
  raw: string | undefined,
  now: number,
): AuthenticationResult {
  if (raw === undefined || raw === '') return failure('MISSING');
  const parsed = parseToken(raw);
  if (parsed === undefined) return failure('MALFORMED');
  if (parsed.accountId !== accountId) return failure('WRONG_ACCOUNT');
  const token = tokens.get(parsed.tokenId);
  if (token === undefined) return failure('UNKNOWN');
  if (TOKEN_PREFIX_OF_API_KEY_TYPE[token.apiKeyType] !== parsed.prefix) return failure('UNKNOWN');
  if (!secretMatches(parsed.secret, token.secretHash)) return failure('UNKNOWN');
  if (now >= tokenExpiry(token)) return failure('EXPIRED');
  if (now < token.validFrom) return failure('NOT_YET_VALID');
  return { ok: true, principal: { type: token.apiKeyType, identifier: token.parentIdentifier }, token };
}
