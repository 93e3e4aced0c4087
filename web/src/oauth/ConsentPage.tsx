import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useSession } from '../accounts/session';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';
import type { ConsentDetails } from '../../../src/oauth/server.js';

/**
 * Where an application sent the learner to ask for access to their wallet (OAuth 2.0): who asks, where the
 * learner goes back to, and what it may do, in plain words; the learner allows or denies.
 */
export function ConsentPage() {
  const { uid = '' } = useParams();
  const { session, loading } = useSession();
  const details = useQuery({
    queryKey: ['oauth-interaction', uid],
    queryFn: () => api<ConsentDetails>('GET', `/oauth/interaction/${encodeURIComponent(uid)}/details`),
    enabled: Boolean(session),
    retry: false,
  });
  const decide = useMutation({
    mutationFn: (allow: boolean) =>
      api<{ redirectTo: string }>('POST', `/oauth/interaction/${encodeURIComponent(uid)}/decision`, { allow }),
    onSuccess: ({ redirectTo }) => window.location.assign(redirectTo),
  });

  if (loading) return <Loading />;
  if (!session) {
    return (
      <div className="consent">
        <h1>Sign in to continue</h1>
        <p>An application asks for access to your Skillproof wallet. Sign in first, then choose whether to allow it.</p>
        <p>
          <Link to="/sign-in" state={{ returnTo: `/connect/${uid}` }}>
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  if (details.isPending) return <Loading />;
  if (details.error || !details.data) return <ErrorMessage error={details.error} />;
  const { client, scopes, redirectHost } = details.data;
  return (
    <div className="consent">
      <h1>Allow {client.name} into your wallet?</h1>
      {client.logoUri && <img src={client.logoUri} alt="" width={64} height={64} className="client-logo" />}
      <p>
        <strong>{client.name}</strong> asks to act for you, {session.user.name}. If you allow it, you go back to{' '}
        <strong>{redirectHost}</strong>.
        {client.clientUri && (
          <>
            {' '}
            It says it is <a href={client.clientUri}>{client.clientUri}</a>.
          </>
        )}
      </p>
      <h2>It will be able to</h2>
      <ul>
        {scopes.map((s) => (
          <li key={s.scope}>{s.words}</li>
        ))}
      </ul>
      {(client.policyUri || client.tosUri) && (
        <p>
          {client.policyUri && <a href={client.policyUri}>Its privacy policy</a>}
          {client.policyUri && client.tosUri && ' · '}
          {client.tosUri && <a href={client.tosUri}>Its terms of service</a>}
        </p>
      )}
      <p>You can disconnect it at any time on the Connected applications page.</p>
      <ErrorMessage error={decide.error} />
      <div className="actions">
        <button type="button" onClick={() => decide.mutate(true)} disabled={decide.isPending}>
          Allow
        </button>
        <button type="button" className="secondary" onClick={() => decide.mutate(false)} disabled={decide.isPending}>
          Deny
        </button>
      </div>
    </div>
  );
}
