import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Field, fieldErrors } from '../platform/components';
import { useSession } from './session';

/** The token a mailed link carries after `#`: browsers never send it, so it reaches no server log. */
function useLinkToken(): string {
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  useEffect(() => {
    // Out of the address bar and the history, now that it is read.
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);
  return token;
}

function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  return Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
}

/** Where the confirmation link (sign-up or a new email) lands: it confirms on its own, once. */
export function ConfirmEmailLandingPage() {
  const token = useLinkToken();
  const { session, refresh } = useSession();
  const [state, setState] = useState<{ email?: string; error?: unknown }>({});
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !token) return;
    sent.current = true;
    api<{ email: string }>('POST', '/api/auth/confirm-email', { token }).then(
      async (result) => {
        setState({ email: result.email });
        await refresh();
      },
      (error: unknown) => setState({ error }),
    );
  }, [token, refresh]);
  return (
    <div className="auth">
      <h1>Confirm your email</h1>
      {!token && <p className="alert">This link is incomplete. Open the link from the message again, in full.</p>}
      {token && !state.email && !state.error && <p aria-busy="true">Confirming…</p>}
      <ErrorMessage error={state.error} />
      {state.email && (
        <p role="status">
          <strong>{state.email}</strong> is confirmed. Credentials sent to it are now in your wallet.
        </p>
      )}
      <p>{session ? <Link to="/wallet">Go to your wallet</Link> : <Link to="/sign-in">Sign in</Link>}</p>
    </div>
  );
}

export function ForgotPasswordPage() {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ message: string }>('POST', '/api/auth/password-reset', formValues(event));
      setMessage(result.message);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="auth">
      <h1>Reset your password</h1>
      <p className="lede">We will mail a link to choose a new password. It works once, within one hour.</p>
      {message ? (
        <p role="status">{message}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <ErrorMessage error={error} />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={fieldErrors(error).email}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send the link'}
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const token = useLinkToken();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { password, repeat } = formValues(event);
    if (password !== repeat) {
      setError(new Error('The two passwords differ. Type the same new password twice.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/auth/password-reset/confirm', { token, password });
      await refresh();
      navigate('/sign-in', { state: { notice: 'Your password was reset. Sign in with the new one.' } });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const fields = fieldErrors(error);
  return (
    <div className="auth">
      <h1>Choose a new password</h1>
      {!token ? (
        <p className="alert">
          This link is incomplete. Open the link from the message again, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <ErrorMessage error={error} />
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters. Every session of your account is signed out."
            error={fields.password}
          />
          <Field label="New password again" name="repeat" type="password" autoComplete="new-password" required />
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Set the new password'}
          </button>
        </form>
      )}
    </div>
  );
}

interface AccountStatus {
  email: string;
  emailConfirmed: boolean;
  pendingEmail: { email: string; expiresAt: string } | null;
}

/** Account settings: the email and its confirmation, changing the email and the password. */
export function AccountSettingsPage() {
  const { refresh } = useSession();
  const [status, setStatus] = useState<AccountStatus | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<unknown>(null);
  const [passwordError, setPasswordError] = useState<unknown>(null);
  const [resendError, setResendError] = useState<unknown>(null);

  const load = () => api<AccountStatus>('GET', '/api/me/account').then(setStatus, setLoadError);
  useEffect(() => {
    void load();
  }, []);

  async function resend() {
    setResendError(null);
    try {
      const sent = await api<{ email: string }>('POST', '/api/me/email/confirmation', {});
      setNotice(`A new confirmation link is on its way to ${sent.email}.`);
    } catch (caught) {
      setResendError(caught);
    }
  }

  async function changeEmail(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setEmailError(null);
    try {
      const pending = await api<{ email: string }>('POST', '/api/me/email', formValues(event));
      form.reset();
      setNotice(`We sent a link to ${pending.email}. Your email changes once you open it.`);
      await load();
    } catch (caught) {
      setEmailError(caught);
    }
  }

  async function changePassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = formValues(event);
    setPasswordError(null);
    if (values.newPassword !== values.repeat) {
      setPasswordError(new Error('The two new passwords differ. Type the same new password twice.'));
      return;
    }
    try {
      await api('POST', '/api/me/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.reset();
      setNotice('Your password was changed. Your other sessions were signed out.');
      await refresh();
    } catch (caught) {
      setPasswordError(caught);
    }
  }

  if (loadError) return <ErrorMessage error={loadError} />;
  if (!status) return <p aria-busy="true">Loading…</p>;
  const emailFields = fieldErrors(emailError);
  const passwordFields = fieldErrors(passwordError);
  return (
    <div className="account-settings">
      <h1>Account settings</h1>
      <p>
        <Link to="/connected-apps">Connected applications</Link>: other platforms you allowed into your wallet.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <section aria-labelledby="email-heading">
        <h2 id="email-heading">Email</h2>
        <p>
          Your email is <strong>{status.email}</strong>{' '}
          {status.emailConfirmed ? '(confirmed).' : '(not confirmed yet).'}
        </p>
        {!status.emailConfirmed && (
          <div className="notice warn">
            <p>
              Credentials sent to this address reach your wallet once you open the confirmation link we mailed to it.
            </p>
            <ErrorMessage error={resendError} />
            <button type="button" className="secondary" onClick={resend}>
              Send the confirmation link again
            </button>
          </div>
        )}
        {status.pendingEmail && (
          <p>
            Waiting for you to open the link sent to <strong>{status.pendingEmail.email}</strong>.
          </p>
        )}
        <form onSubmit={changeEmail} noValidate>
          <h3>Change your email</h3>
          <ErrorMessage error={emailError} />
          <Field label="New email" name="email" type="email" autoComplete="email" required error={emailFields.email} />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={emailFields.currentPassword}
          />
          <button type="submit">Send a confirmation link</button>
        </form>
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <form onSubmit={changePassword} noValidate>
          <ErrorMessage error={passwordError} />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={passwordFields.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters."
            error={passwordFields.newPassword}
          />
          <Field label="New password again" name="repeat" type="password" autoComplete="new-password" required />
          <button type="submit">Change password</button>
        </form>
      </section>
    </div>
  );
}
