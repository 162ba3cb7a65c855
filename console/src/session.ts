import { accountOfToken, type Scope } from './api/client';

/** The signed-in session: the token (kept in sessionStorage only, never in a URL) and its account. */
export interface Session {
  readonly token: string;
  readonly accountIdentifier: string;
}

const TOKEN_KEY = 'nextgen-rbac.token';
const SCOPE_KEY = 'nextgen-rbac.scope';

/** The session of this browser tab, if signed in. */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const accountIdentifier = token ? accountOfToken(token) : undefined;
  return token && accountIdentifier ? { token, accountIdentifier } : undefined;
}

/** Keeps the token for this tab. */
export function saveSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
}

/** Forgets the token and the chosen scope. */
export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
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
