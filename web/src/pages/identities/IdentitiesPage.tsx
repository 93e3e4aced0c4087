import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { ErrorMessage, Loading, Panel, TextArea, formatDateTime } from '../../components';

interface Identities {
  email: string;
  dids: { did: string; verifiedAt: string }[];
}
interface Challenge {
  challenge: string;
  domain: string;
  expiresAt: string;
}

const identitiesKey = ['me', 'identities'];

/**
 * The identities a credential may name the learner by: the account email and DIDs linked by DID Auth. Linking
 * takes a challenge to sign in the learner's wallet app and the signed presentation pasted back.
 */
export function IdentitiesPage() {
  const queryClient = useQueryClient();
  const identities = useQuery({
    queryKey: identitiesKey,
    queryFn: () => api<Identities>('GET', '/api/me/identities'),
  });
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [presentation, setPresentation] = useState('');
  const [linkedMessage, setLinkedMessage] = useState('');

  const asking = useMutation({
    mutationFn: () => api<Challenge>('POST', '/api/me/identities/did/challenge'),
    onSuccess: (issued) => {
      setChallenge(issued);
      setLinkedMessage('');
    },
  });
  const linking = useMutation({
    mutationFn: (text: string) => api<{ did: string }>('POST', '/api/me/identities/did', { presentation: text }),
    onSuccess: async (linked) => {
      setPresentation('');
      setChallenge(null);
      setLinkedMessage(`Linked ${linked.did}.`);
      await queryClient.invalidateQueries({ queryKey: identitiesKey });
    },
  });
  const unlinking = useMutation({
    mutationFn: (did: string) => api<void>('DELETE', `/api/me/identities/did/${encodeURIComponent(did)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identitiesKey }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (presentation.trim()) linking.mutate(presentation.trim());
  }

  return (
    <div className="stack identities">
      <p>
        <Link to="/wallet/import">← Import a credential</Link>
      </p>
      <h1>Your identities</h1>
      <p className="lede">
        A credential can be added to your wallet when it is issued to one of these: your account's email address, or a
        DID (decentralized identifier) you have shown to be yours.
      </p>
      {identities.isPending && <Loading />}
      <ErrorMessage error={identities.error ?? unlinking.error} />
      {identities.data && (
        <Panel title="Identities">
          <ul>
            <li>
              Email address: <strong>{identities.data.email}</strong> (your account)
            </li>
            {identities.data.dids.map((d) => (
              <li key={d.did}>
                DID: <code>{d.did}</code> — linked {formatDateTime(d.verifiedAt)}{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => unlinking.mutate(d.did)}
                  disabled={unlinking.isPending}
                  aria-label={`Unlink ${d.did}`}
                >
                  Unlink
                </button>
              </li>
            ))}
          </ul>
          {identities.data.dids.length === 0 && <p>No DID is linked yet.</p>}
        </Panel>
      )}
      <Panel title="Link a DID">
        <p>
          Your wallet app proves that a DID is yours by signing a one-time challenge with its key (DID Auth). Ask for a
          challenge, give it and the domain to your wallet app, and paste the signed Verifiable Presentation it returns
          (holder: your DID; signed with eddsa-rdfc-2022 for the purpose "authentication").
        </p>
        <button type="button" onClick={() => asking.mutate()} disabled={asking.isPending}>
          Get a challenge
        </button>
        <ErrorMessage error={asking.error} />
        {challenge && (
          <dl>
            <dt>Challenge</dt>
            <dd>
              <code>{challenge.challenge}</code>
            </dd>
            <dt>Domain</dt>
            <dd>
              <code>{challenge.domain}</code>
            </dd>
            <dt>Valid until</dt>
            <dd>{formatDateTime(challenge.expiresAt)}</dd>
          </dl>
        )}
        <form onSubmit={submit}>
          <TextArea
            label="The signed presentation (JSON)"
            rows={8}
            value={presentation}
            onChange={(e) => setPresentation(e.target.value)}
            spellCheck={false}
          />
          <button type="submit" disabled={linking.isPending || !presentation.trim()}>
            Link this DID
          </button>
        </form>
        <ErrorMessage error={linking.error} />
        {linkedMessage && <p role="status">{linkedMessage}</p>}
      </Panel>
    </div>
  );
}
