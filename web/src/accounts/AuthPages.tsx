import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Field, fieldErrors } from '../platform/components';
import { useSession } from './session';

function useAuthForm(path: string) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const returnTo = (useLocation().state as { returnTo?: string } | null)?.returnTo;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = Object.fromEntries(new FormData(event.currentTarget));
    try {
      await api('POST', path, body);
      await refresh();
      // A page that sent the visitor to sign in (an application's consent page) gets them back.
      navigate(returnTo?.startsWith('/connect/') ? returnTo : '/dashboard');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return { submit, error, busy, fields: fieldErrors(error) };
}

export function SignInPage() {
  const { session } = useSession();
  const form = useAuthForm('/api/auth/sign-in');
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  if (session) return <Navigate to="/dashboard" replace />;
  return (
    <div className="auth">
      <h1>Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={form.submit} noValidate>
        <ErrorMessage error={form.error} />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={form.busy}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </div>
  );
}

export function SignUpPage() {
  const { session } = useSession();
  const form = useAuthForm('/api/auth/sign-up');
  if (session) return <Navigate to="/dashboard" replace />;
  return (
    <div className="auth">
      <h1>Create your account</h1>
      <p className="lede">Earn micro-credentials, keep them in your wallet and share them with employers.</p>
      <form onSubmit={form.submit} noValidate>
        <ErrorMessage error={form.error} />
        <Field label="Your name" name="name" autoComplete="name" required maxLength={120} error={form.fields.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={form.fields.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters."
          error={form.fields.password}
        />
        <button type="submit" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
