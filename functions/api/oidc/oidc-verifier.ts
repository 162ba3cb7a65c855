import { createHash } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { normalizeEmail } from '../../core/user.js';
import { UnauthenticatedError } from '../http/errors.js';
import type { OidcSettings } from './oidc-settings.js';

/** Who a verified bearer token says the caller is, and which sign-in (session) the token is of. */
export interface VerifiedIdentity {
  /** The token's `email` claim, normalized as user e-mails are (trimmed, lower-cased). */
  readonly email: string;
  /** The sign-in: one id per token (from its `jti`, else the token itself, hashed), its `iat` and `exp` (epoch ms). */
  readonly session: SignInSession;
}

/** One sign-in at the identity provider, as one bearer token carries it. */
export interface SignInSession {
  /** Stable per token: a hash of its `iss` and `jti` (or of the whole token when it has no `jti`); hex, no `#` or `.`. */
  readonly id: string;
  /** When the provider issued the token (`iat`), or when it was first verified here if it has none. */
  readonly issuedAt: number;
  /** When the token expires (`exp`); a token without one is good until {@link SESSION_FALLBACK_MS} after it was issued. */
  readonly expiresAt: number;
}

/** How long a sign-in counts for when its token has no `exp` (jose requires none). */
export const SESSION_FALLBACK_MS = 3_600_000;

function sessionOf(bearerToken: string, payload: Record<string, unknown>, now: number): SignInSession {
  const { jti, iat, exp, iss } = payload;
  const seed = typeof jti === 'string' && jti !== '' ? `${String(iss)}\u0000${jti}` : bearerToken;
  const issuedAt = typeof iat === 'number' ? iat * 1000 : now;
  return {
    id: createHash('sha256').update(seed).digest('hex').slice(0, 24),
    issuedAt,
    expiresAt: typeof exp === 'number' ? exp * 1000 : issuedAt + SESSION_FALLBACK_MS,
  };
}

/** Verifies a bearer token; throws a 401 `UnauthenticatedError` when it is not acceptable. */
export type IdentityVerifier = (bearerToken: string) => Promise<VerifiedIdentity>;

/**
 * A verifier of OIDC JWTs (optional user authentication, DESIGN §11): the signature against the
 * issuer's keys (fetched and cached by `jose`), `iss`, `aud`, `exp`/`nbf` against `now`, and an
 * `email` claim (not explicitly unverified) that maps the caller to the account's user; the answer
 * names the sign-in the token is of, so the audit trail records each once.
 *
 * @param keys - The key set; tests pass a local one.
 * @param now - The clock (epoch ms), so expiry follows the injectable clock.
 */
export function oidcVerifier(
  settings: OidcSettings,
  now: () => number,
  keys: JWTVerifyGetKey = createRemoteJWKSet(
    new URL(settings.jwksUrl ?? `${settings.issuer.replace(/\/$/, '')}/.well-known/jwks.json`),
  ),
): IdentityVerifier {
  return async (bearerToken) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(bearerToken, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw new UnauthenticatedError('Invalid or expired bearer token', { cause: error });
    }
    const { email, email_verified: emailVerified } = payload;
    if (typeof email !== 'string' || email === '' || emailVerified === false) {
      throw new UnauthenticatedError('The bearer token has no verified email claim');
    }
    return { email: normalizeEmail(email), session: sessionOf(bearerToken, payload, now()) };
  };
}
