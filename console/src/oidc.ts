/**
 * Sign-in through the deployment's OIDC provider: the authorization code flow with PKCE (S256), a
 * `state` and a `nonce`, for a public client (the console has no secret). The ID token it obtains is
 * what the API verifies as `authorization: Bearer` (issuer, audience = the console's client id, expiry,
 * the `email` claim of an active user of the account).
 */

/** What the console is told at `/console/config.json`. */
export interface ConsoleConfig {
  readonly oidc: { readonly issuer: string; readonly clientId: string } | null;
}

/** A sign-in the provider has sent back: the ID token, its account and when it expires. */
export interface CompletedSignIn {
  readonly idToken: string;
  readonly accountIdentifier: string;
  readonly expiresAt: number;
}

/** The page the provider sends the browser back to. */
export const CALLBACK_ROUTE = '/oidc-callback';

const PENDING_KEY = 'nextgen-rbac.oidc-pending';

interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly accountIdentifier: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

/** The console's deployment settings (no OIDC when they cannot be read). */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
    return response.ok ? ((await response.json()) as ConsoleConfig) : { oidc: null };
  } catch {
    return { oidc: null };
  }
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function redirectUri(): string {
  return `${window.location.origin}/console${CALLBACK_ROUTE}`;
}

async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new Error(`The identity provider ${issuer} could not be reached.`);
  }
  if (!response.ok)
    throw new Error(`The identity provider answered ${response.status} to its discovery document.`);
  const document = (await response.json()) as Partial<Discovery>;
  if (!document.authorization_endpoint || !document.token_endpoint) {
    throw new Error('The identity provider names no authorization or token endpoint.');
  }
  return document as Discovery;
}

/** Sends the browser to the provider to sign in for `accountIdentifier`; it comes back to {@link CALLBACK_ROUTE}. */
export async function beginSignIn(
  oidc: NonNullable<ConsoleConfig['oidc']>,
  accountIdentifier: string,
): Promise<void> {
  const discovery = await discover(oidc.issuer);
  const pending: PendingSignIn = {
    state: randomString(),
    nonce: randomString(),
    verifier: randomString(),
    accountIdentifier,
    tokenEndpoint: discovery.token_endpoint,
    clientId: oidc.clientId,
    redirectUri: redirectUri(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: pending.clientId,
    redirect_uri: pending.redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

function claimsOf(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1];
  if (!payload) throw new Error('The identity provider sent no ID token.');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (char) => char.charCodeAt(0))));
}

/**
 * Completes a sign-in from the provider's answer (the callback page's query): checks `state`, trades
 * the code for tokens with the PKCE verifier, checks the ID token's `nonce`. Throws an error in words.
 */
export async function completeSignIn(query: URLSearchParams): Promise<CompletedSignIn> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
  const error = query.get('error');
  if (error)
    throw new Error(`The identity provider refused the sign-in: ${query.get('error_description') ?? error}.`);
  if (!pending || query.get('state') !== pending.state) {
    throw new Error('This sign-in was not started here, or was already used. Sign in again.');
  }
  const code = query.get('code');
  if (!code) throw new Error('The identity provider sent no authorization code.');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`The identity provider refused the code (${response.status}).`);
  const { id_token: idToken } = (await response.json()) as { id_token?: string };
  if (!idToken) throw new Error('The identity provider sent no ID token.');
  const claims = claimsOf(idToken);
  if (claims.nonce !== pending.nonce) throw new Error('The ID token is not for this sign-in. Sign in again.');
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3_600_000;
  return { idToken, accountIdentifier: pending.accountIdentifier, expiresAt };
}
