import { useState } from 'react';
import { type AcceptedInvite, ApiClient, ApiError, accountOfToken } from '../api/client';
import { formErrorsOf } from '../components/form-errors';
import { GeneralErrors, PageHeading, SecretOnce, TextField } from '../components/ui';
import { saveSession } from '../session';

const INVITE_KEY = 'nextgen-rbac.invite';

/** The invite token of the mailed link; taken out of the address bar (kept for this tab only). */
function takeInviteToken(): string | undefined {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(INVITE_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    return fromUrl;
  }
  return sessionStorage.getItem(INVITE_KEY) ?? undefined;
}

/** Why an accept failed, in words. */
export function acceptFailureWords(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 410 || error.code === 'INVITE_EXPIRED') {
    return 'This invite link has expired: a link works for 7 days after it was sent. Ask the person who invited you to resend the invite; the new mail has a fresh link.';
  }
  if (error.code === 'INVITE_INVALID') {
    return 'This invite link is not valid: it was replaced by a newer invite mail (only the latest link works), it was already used, or it is incomplete. Open the link of the latest invite mail, or ask for a new invite.';
  }
  if (error.fieldErrors.length > 0) return undefined;
  return error.message;
}

/** The page the invite mail links to (`/console/invite?token=…`): asks for a name, accepts, shows the first personal token once. */
export function AcceptInvitePage() {
  const [token] = useState(takeInviteToken);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [accepted, setAccepted] = useState<AcceptedInvite>();
  const errors = formErrorsOf(failure, ['name', 'token']);
  const words = failure === undefined ? undefined : acceptFailureWords(failure);
  const accept = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    try {
      const answer = await new ApiClient(undefined).acceptInvite(token, name.trim());
      setAccepted(answer);
      setFailure(undefined);
      sessionStorage.removeItem(INVITE_KEY);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  if (accepted) {
    const account = accountOfToken(accepted.token);
    return (
      <main className="sign-in">
        <PageHeading>Invite accepted</PageHeading>
        <section className="panel">
          <p>
            Welcome{name.trim() ? `, ${name.trim()}` : ''}. Your user id is <code>{accepted.userId}</code>.
          </p>
          <SecretOnce label="Your personal token" value={accepted.token} />
          <p>Use it as the API token to sign in to this console or to call the API.</p>
          {account ? (
            <button
              type="button"
              className="primary"
              onClick={() => {
                saveSession({
                  credential: { kind: 'apiToken', token: accepted.token },
                  accountIdentifier: account,
                });
                window.location.assign('/console/organizations');
              }}
            >
              Open the console
            </button>
          ) : null}
        </section>
      </main>
    );
  }
  return (
    <main className="sign-in">
      <PageHeading>Accept your invite</PageHeading>
      {token ? (
        <form className="panel" onSubmit={accept} noValidate>
          <p>You were invited to nextgen-rbac. Tell us your name to accept.</p>
          {words ? (
            <div className="form-errors" role="alert">
              <p>{words}</p>
            </div>
          ) : (
            <GeneralErrors
              errors={{ byField: {}, general: errors.byField.token ? [errors.byField.token] : [] }}
            />
          )}
          <TextField
            label="Your name"
            value={name}
            onChange={setName}
            error={errors.byField.name}
            autoComplete="name"
            required
          />
          <button type="submit" className="primary" disabled={busy}>
            Accept invite
          </button>
        </form>
      ) : (
        <div className="form-errors" role="alert">
          <p>
            This page needs the link from your invite mail: open the link in the mail exactly as it was sent.
          </p>
        </div>
      )}
    </main>
  );
}
