import { accountOfToken, type Credential, type Scope } from './api/client';

/**
 * The signed-in session: how the console authenticates (an API token, or an OIDC ID token with its
 * expiry) and the account — kept in sessionStorage only, never in a URL.
 */
export interface Session {
  readonly credential: Credential;
  readonly accountIdentifier: string;
  /** When an OIDC ID token expires (epoch ms); the console then asks to sign in again. */
  readonly expiresAt?: number;
}

const TOKEN_KEY = 'nextgen-rbac.token';
const OIDC_KEY = 'nextgen-rbac.oidc';
const SCOPE_KEY = 'nextgen-rbac.scope';

interface StoredOidcSession {
  readonly idToken: string;
  readonly accountIdentifier: string;
  readonly expiresAt: number;
}

function storedOidcSession(): StoredOidcSession | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(OIDC_KEY) ?? 'null') as StoredOidcSession | null;
    return stored && typeof stored.idToken === 'string' && stored.expiresAt > Date.now() ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The session of this browser tab, if signed in (an expired OIDC sign-in is no session). */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const accountIdentifier = token ? accountOfToken(token) : undefined;
  if (token && accountIdentifier) return { credential: { kind: 'apiToken', token }, accountIdentifier };
  const oidc = storedOidcSession();
  return oidc
    ? {
        credential: { kind: 'oidc', idToken: oidc.idToken },
        accountIdentifier: oidc.accountIdentifier,
        expiresAt: oidc.expiresAt,
      }
    : undefined;
}

/** Keeps the session for this tab. */
export function saveSession(session: Session): void {
  const { credential } = session;
  if (credential.kind === 'apiToken') {
    sessionStorage.removeItem(OIDC_KEY);
    sessionStorage.setItem(TOKEN_KEY, credential.token);
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  const stored: StoredOidcSession = {
    idToken: credential.idToken,
    accountIdentifier: session.accountIdentifier,
    expiresAt: session.expiresAt ?? Date.now(),
  };
  sessionStorage.setItem(OIDC_KEY, JSON.stringify(stored));
}

/** Forgets the credential and the chosen scope. */
export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(OIDC_KEY);
  sessionStorage.removeItem(SCOPE_KEY);
}

/** The scope chosen last in this tab, within `accountIdentifier`. */
export function loadScope(accountIdentifier: string): Scope {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SCOPE_KEY) ?? 'null') as Scope | null;
    if (stored && stored.accountIdentifier === accountIdentifier) return stored;
  } catch {
    // A damaged entry falls back to the account.
  }
  return { accountIdentifier };
}

/** Remembers the chosen scope for this tab. */
export function saveScope(scope: Scope): void {
  sessionStorage.setItem(SCOPE_KEY, JSON.stringify(scope));
}
