import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient, ApiError, accountOfToken, type Scope } from './api/client';
import { ScopePicker } from './components/scope-picker';
import { PageHeading, TextField } from './components/ui';
import { ConsoleContext, type ConsoleState } from './context';
import { beginSignIn, CALLBACK_ROUTE, type ConsoleConfig, completeSignIn, loadConsoleConfig } from './oidc';
import { AcceptInvitePage } from './pages/AcceptInvitePage';
import { AccessCheckPage } from './pages/AccessCheckPage';
import { AccessReviewPage } from './pages/AccessReviewPage';
import { AuditTrailPage } from './pages/AuditTrailPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { ResourceGroupPage, ResourceGroupsPage } from './pages/ResourceGroupsPage';
import { RoleAssignmentsPage } from './pages/RoleAssignmentsPage';
import { RolePage, RolesPage } from './pages/RolesPage';
import { ServiceAccountPage, ServiceAccountsPage } from './pages/ServiceAccountsPage';
import { UserGroupPage, UserGroupsPage } from './pages/UserGroupsPage';
import { UsersPage } from './pages/UsersPage';
import { Link, navigate, useRoute } from './router';
import { clearSession, loadScope, loadSession, type Session, saveScope, saveSession } from './session';

/** The navigation of the signed-in console (DESIGN §15 names). */
const NAVIGATION: readonly { readonly route: string; readonly label: string }[] = [
  { route: '/organizations', label: 'Organizations' },
  { route: '/projects', label: 'Projects' },
  { route: '/users', label: 'Users' },
  { route: '/user-groups', label: 'User groups' },
  { route: '/service-accounts', label: 'Service accounts' },
  { route: '/roles', label: 'Roles' },
  { route: '/resource-groups', label: 'Resource groups' },
  { route: '/role-assignments', label: 'Role assignments' },
  { route: '/access-check', label: 'Access check' },
  { route: '/access-review', label: 'Access review' },
  { route: '/audit-trail', label: 'Audit trail' },
];

function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<ConsoleConfig>({ oidc: null });
  const [account, setAccount] = useState('');
  const [oidcError, setOidcError] = useState<string>();
  useEffect(() => {
    loadConsoleConfig().then(setConfig);
  }, []);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    const accountIdentifier = accountOfToken(trimmed);
    if (!accountIdentifier) {
      setError(
        'This is not an API token: it looks like sat.<account>.<id>.<secret> or pat.<account>.<id>.<secret>.',
      );
      return;
    }
    setBusy(true);
    const credential = { kind: 'apiToken', token: trimmed } as const;
    try {
      await new ApiClient(credential).listOrganizations(accountIdentifier, { pageSize: 1 });
      onSignedIn({ credential, accountIdentifier });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? `The token was not accepted: ${failure.message}`
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  const { oidc } = config;
  const signInWithOidc = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!oidc) return;
    const accountIdentifier = account.trim();
    if (!/^[A-Za-z0-9_-]+$/.test(accountIdentifier)) {
      setOidcError('Give the identifier of your account (letters, digits, _ and -).');
      return;
    }
    setBusy(true);
    try {
      await beginSignIn(oidc, accountIdentifier);
    } catch (failure) {
      setOidcError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <PageHeading>Sign in to the nextgen-rbac console</PageHeading>
      <form onSubmit={submit} className="panel" noValidate>
        <p>
          Use an API token: a service-account token (<code>sat.…</code>) or your personal token (
          <code>pat.…</code>). It is kept in this browser tab only, until you sign out or close the tab.
        </p>
        <TextField
          label="API token"
          type="password"
          value={token}
          onChange={setToken}
          error={error}
          autoComplete="current-password"
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
      {oidc ? (
        <form onSubmit={signInWithOidc} className="panel" noValidate aria-label="Sign in with OIDC">
          <p>
            Or sign in through your identity provider (<code>{new URL(oidc.issuer).host}</code>) as the user
            of the account with your e-mail.
          </p>
          <TextField label="Account" value={account} onChange={setAccount} error={oidcError} required />
          <button type="submit" disabled={busy}>
            Sign in with OIDC
          </button>
        </form>
      ) : null}
    </main>
  );
}

/** Where the identity provider sends the browser back: trades the code for an ID token, then signs in. */
function OidcCallbackPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const query = new URLSearchParams(window.location.search);
    window.history.replaceState(null, '', '/console/oidc-callback');
    completeSignIn(query)
      .then(async (completed) => {
        const credential = { kind: 'oidc', idToken: completed.idToken } as const;
        await new ApiClient(credential).listOrganizations(completed.accountIdentifier, { pageSize: 1 });
        onSignedIn({
          credential,
          accountIdentifier: completed.accountIdentifier,
          expiresAt: completed.expiresAt,
        });
      })
      .catch((failure: unknown) =>
        setError(
          failure instanceof ApiError && failure.status === 401
            ? `The sign-in was not accepted: ${failure.message}`
            : failure instanceof Error
              ? failure.message
              : String(failure),
        ),
      );
  }, [onSignedIn]);
  return (
    <main className="sign-in">
      <PageHeading>Signing in</PageHeading>
      {error ? (
        <section className="panel">
          <p className="form-errors" role="alert">
            {error}
          </p>
          <p>
            <a href="/console/">Back to the sign-in page</a>
          </p>
        </section>
      ) : (
        <p>Completing the sign-in…</p>
      )}
    </main>
  );
}

function pageFor(route: string): ReactNode {
  const [, section, detail] = route.split('/').map((part) => decodeURIComponent(part));
  switch (section) {
    case 'organizations':
      return <OrganizationsPage />;
    case 'projects':
      return <ProjectsPage />;
    case 'users':
      return <UsersPage />;
    case 'user-groups':
      return detail ? <UserGroupPage identifier={detail} /> : <UserGroupsPage />;
    case 'service-accounts':
      return detail ? <ServiceAccountPage identifier={detail} /> : <ServiceAccountsPage />;
    case 'roles':
      return detail ? <RolePage identifier={detail} /> : <RolesPage />;
    case 'resource-groups':
      return detail ? <ResourceGroupPage identifier={detail} /> : <ResourceGroupsPage />;
    case 'role-assignments':
      return <RoleAssignmentsPage />;
    case 'access-check':
      return <AccessCheckPage />;
    case 'access-review':
      return <AccessReviewPage />;
    case 'audit-trail':
      return <AuditTrailPage />;
    default:
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            There is no page at this address. <Link to="/organizations">Go to the organizations</Link>.
          </p>
        </>
      );
  }
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const [scope, setScopeState] = useState<Scope>(() => loadScope(session.accountIdentifier));
  const [scopesVersion, setScopesVersion] = useState(0);
  const client = useMemo(() => new ApiClient(session.credential), [session.credential]);
  const state: ConsoleState = useMemo(
    () => ({
      client,
      session,
      scope,
      setScope: (next: Scope) => {
        saveScope(next);
        setScopeState(next);
      },
      scopesChanged: () => setScopesVersion((value) => value + 1),
    }),
    [client, session, scope],
  );
  useEffect(() => {
    if (session.expiresAt === undefined) return;
    const timer = setTimeout(onSignOut, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session.expiresAt, onSignOut]);
  const shown = route === '/' ? '/organizations' : route;
  return (
    <ConsoleContext.Provider value={state}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">nextgen-rbac</span>
        <ScopePicker client={client} scope={scope} onChange={state.setScope} version={scopesVersion} />
        <span className="account">
          Account <strong>{session.accountIdentifier}</strong>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div className="layout">
        <nav className="side" aria-label="Console">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.route}>
                <Link
                  to={item.route}
                  aria-current={
                    shown === item.route || shown.startsWith(`${item.route}/`) ? 'page' : undefined
                  }
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" key={`${shown} ${scope.orgIdentifier ?? ''} ${scope.projectIdentifier ?? ''}`}>
          {pageFor(shown)}
        </main>
      </div>
    </ConsoleContext.Provider>
  );
}

/** The console: the public invite page, else sign-in (API token or OIDC), else the signed-in shell. */
export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const signedIn = useCallback(
    (next: Session) => {
      saveSession(next);
      setSession(next);
      if (route === '/' || route === CALLBACK_ROUTE) navigate('/organizations');
    },
    [route],
  );
  if (route === '/invite' || route.startsWith('/invite/')) return <AcceptInvitePage />;
  if (route === CALLBACK_ROUTE && !session) return <OidcCallbackPage onSignedIn={signedIn} />;
  if (!session) return <SignInPage onSignedIn={signedIn} />;
  return (
    <Shell
      session={session}
      onSignOut={() => {
        clearSession();
        setSession(undefined);
        navigate('/');
      }}
    />
  );
}
