/** Where users' OIDC tokens come from (stack props `oidcIssuer`, `oidcAudience`; env `OIDC_*`). */
export interface OidcSettings {
  /** The `iss` every token must carry, e.g. `https://login.example.com/`. */
  readonly issuer: string;
  /** The `aud` every token must carry (the API's client id). */
  readonly audience: string;
  /** The issuer's JSON Web Key Set; `<issuer>/.well-known/jwks.json` when not given. */
  readonly jwksUrl?: string;
}

/** The OIDC settings of the environment, or `undefined` when `OIDC_ISSUER` or `OIDC_AUDIENCE` is unset. */
export function oidcSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): OidcSettings | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = env;
  if (!issuer || !audience) return undefined;
  return { issuer, audience, ...(jwksUrl ? { jwksUrl } : {}) };
}
