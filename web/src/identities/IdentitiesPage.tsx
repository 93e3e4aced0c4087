import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Field, Loading, Panel, TextArea, formatDateTime } from '../platform/components';

interface Identities {
  email: string;
  emails: { email: string; verifiedAt: string }[];
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
  const [extraEmail, setExtraEmail] = useState('');
  const [sentMessage, setSentMessage] = useState('');

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

  const addingEmail = useMutation({
    mutationFn: (email: string) => api<{ email: string }>('POST', '/api/me/identities/email', { email }),
    onSuccess: (pending) => {
      setExtraEmail('');
      setSentMessage(`A confirmation link was sent to ${pending.email}. Open it within 24 hours while signed in.`);
    },
  });
  const removingEmail = useMutation({
    mutationFn: (email: string) => api<void>('DELETE', `/api/me/identities/email/${encodeURIComponent(email)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identitiesKey }),
  });

  function submitEmail(event: FormEvent) {
    event.preventDefault();
    if (extraEmail.trim()) addingEmail.mutate(extraEmail.trim());
  }

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
      <ErrorMessage error={identities.error ?? unlinking.error ?? removingEmail.error} />
      {identities.data && (
        <Panel title="Identities">
          <ul>
            <li>
              Email address: <strong>{identities.data.email}</strong> (your account)
            </li>
            {identities.data.emails.map((e) => (
              <li key={e.email}>
                Email address: <strong>{e.email}</strong> — confirmed {formatDateTime(e.verifiedAt)}{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => removingEmail.mutate(e.email)}
                  disabled={removingEmail.isPending}
                  aria-label={`Remove ${e.email}`}
                >
                  Remove
                </button>
              </li>
            ))}
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
      <Panel title="Add an email address">
        <p>If an issuer knows you by another address (work, school), add it: we send it a link to confirm.</p>
        <form onSubmit={submitEmail}>
          <Field
            label="Email address to add"
            type="email"
            value={extraEmail}
            onChange={(e) => setExtraEmail(e.target.value)}
            maxLength={254}
          />
          <button type="submit" disabled={addingEmail.isPending || !extraEmail.trim()}>
            Send confirmation link
          </button>
        </form>
        <ErrorMessage error={addingEmail.error} />
        {sentMessage && <p role="status">{sentMessage}</p>}
      </Panel>
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

/** Where the emailed link lands: the signed-in learner confirms the address with one button. */
export function ConfirmEmailPage() {
  const { token = '' } = useParams();
  const queryClient = useQueryClient();
  const confirming = useMutation({
    mutationFn: () => api<{ email: string }>('POST', `/api/identities/email/${encodeURIComponent(token)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identitiesKey }),
  });
  return (
    <div className="stack identities">
      <h1>Confirm an email address</h1>
      {confirming.data ? (
        <p role="status">
          {confirming.data.email} is confirmed: credentials issued to it can go into your wallet.{' '}
          <Link to="/identities">Your identities</Link>
        </p>
      ) : (
        <>
          <p>Confirm that the address this link was sent to is yours, to add it to this account.</p>
          <button type="button" onClick={() => confirming.mutate()} disabled={confirming.isPending}>
            Confirm the address
          </button>
        </>
      )}
      <ErrorMessage error={confirming.error} />
    </div>
  );
}
