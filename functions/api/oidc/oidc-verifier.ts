import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { normalizeEmail } from '../../core/user.js';
import { UnauthenticatedError } from '../http/errors.js';

/** Where users' OIDC tokens come from (stack props `oidcIssuer`, `oidcAudience`; env `OIDC_*`). */
export interface OidcSettings {
  /** The `iss` every token must carry, e.g. `https://login.example.com/`. */
  readonly issuer: string;
  /** The `aud` every token must carry (the API's client id). */
  readonly audience: string;
  /** The issuer's JSON Web Key Set; `<issuer>/.well-known/jwks.json` when not given. */
  readonly jwksUrl?: string;
}

/** Who a verified bearer token says the caller is. */
export interface VerifiedIdentity {
  /** The token's `email` claim, normalized as user e-mails are (trimmed, lower-cased). */
  readonly email: string;
}

/** Verifies a bearer token; throws a 401 `UnauthenticatedError` when it is not acceptable. */
export type IdentityVerifier = (bearerToken: string) => Promise<VerifiedIdentity>;

/** The OIDC settings of the environment, or `undefined` when `OIDC_ISSUER` or `OIDC_AUDIENCE` is unset. */
export function oidcSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): OidcSettings | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = env;
  if (!issuer || !audience) return undefined;
  return { issuer, audience, ...(jwksUrl ? { jwksUrl } : {}) };
}

/**
 * A verifier of OIDC JWTs (optional user authentication, DESIGN §11): the signature against the
 * issuer's keys (fetched and cached by `jose`), `iss`, `aud`, `exp`/`nbf` against `now`, and an
 * `email` claim (not explicitly unverified) that maps the caller to the account's user.
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
    return { email: normalizeEmail(email) };
  };
}
