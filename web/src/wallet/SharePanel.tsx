import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, Loading, Panel, fieldErrors } from '../platform/components';

/** What the server answers for a holding's public link (src/sharing/routes.ts). */
export interface ShareState {
  share: {
    holdingId: string;
    token: string;
    url: string;
    displayName: string | null;
    createdAt: string;
    links: { url: string; linkedInProfile: string; linkedInFeed: string; email: string; embed: string };
  } | null;
  counts: { views: number; actions: Record<string, number> };
}

type ActionKind = 'linkedin-profile' | 'linkedin-feed' | 'copy' | 'email' | 'embed' | 'download' | 'certificate';

export const shareKey = (holdingId: string) => ['wallet', holdingId, 'share'];

/**
 * Everything to share one credential: make it public or withdraw it, copy the link, LinkedIn, email, the embed
 * snippet, the baked image and the printable certificate, with how often it was viewed and shared.
 */
export function SharePanel({
  holdingId,
  title = 'Share',
  invitation,
}: {
  holdingId: string;
  title?: string;
  /** A line inviting the learner to share (the result page's nudge). */
  invitation?: string;
}) {
  const queryClient = useQueryClient();
  const key = shareKey(holdingId);
  const state = useQuery({ queryKey: key, queryFn: () => api<ShareState>('GET', `/api/me/wallet/${holdingId}/share`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const [displayName, setDisplayName] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const embedId = useId();

  const makePublic = useMutation({
    mutationFn: () =>
      api('POST', `/api/me/wallet/${holdingId}/share`, displayName.trim() ? { displayName: displayName.trim() } : {}),
    onSuccess: refresh,
  });
  const withdraw = useMutation({
    mutationFn: () => api('DELETE', `/api/me/wallet/${holdingId}/share`),
    onSuccess: refresh,
  });
  const record = (kind: ActionKind) =>
    void api('POST', `/api/me/wallet/${holdingId}/share-events`, { kind }).then(refresh, () => undefined);

  async function copy(text: string, kind: 'copy' | 'embed', what: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied.`);
    } catch {
      setCopied(`Copy failed: select the ${what.toLowerCase()} and copy it yourself.`);
    }
    record(kind);
  }

  const share = state.data?.share;
  const counts = state.data?.counts;
  const shares = counts ? Object.values(counts.actions).reduce((sum, n) => sum + n, 0) : 0;
  const certificate = (
    <p>
      <a href={`/api/me/wallet/${holdingId}/certificate.pdf`} download onClick={() => void refresh()}>
        Printable certificate (PDF)
      </a>
      {!share && <span className="hint"> Creating it makes the credential public, for its QR code.</span>}
    </p>
  );

  return (
    <Panel title={title}>
      {invitation && <p>{invitation}</p>}
      <ErrorMessage error={state.error ?? makePublic.error ?? withdraw.error} />
      {state.isPending && <Loading />}
      {state.data && !share && (
        <form
          className="inline-form"
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            makePublic.mutate();
          }}
        >
          <p>Private: only you can see it. A public page shows it to anyone with the link, verified on every view.</p>
          <Field
            label="Name shown on the public page (optional)"
            value={displayName}
            maxLength={120}
            onChange={(e) => setDisplayName(e.target.value)}
            error={fieldErrors(makePublic.error).displayName}
          />
          <button type="submit" disabled={makePublic.isPending}>
            Make it public
          </button>
        </form>
      )}
      {share && (
        <>
          <p>
            Public at{' '}
            <a href={share.url} target="_blank" rel="noopener">
              {share.url}
            </a>
          </p>
          <div className="actions">
            <button type="button" onClick={() => void copy(share.url, 'copy', 'Link')}>
              Copy link
            </button>
            <a
              className="button"
              href={share.links.linkedInProfile}
              target="_blank"
              rel="noopener noreferrer"
              onClick={() => record('linkedin-profile')}
            >
              Add to LinkedIn profile
            </a>
            <a
              href={share.links.linkedInFeed}
              target="_blank"
              rel="noopener noreferrer"
              onClick={() => record('linkedin-feed')}
            >
              Post on LinkedIn
            </a>
            <a href={share.links.email} onClick={() => record('email')}>
              Send by email
            </a>
            <a href={`/api/me/wallet/${holdingId}/export/png`} download onClick={() => record('download')}>
              Download the badge image
            </a>
          </div>
          {copied && <p role="status">{copied}</p>}
          <div className="field">
            <label htmlFor={embedId}>Embed on a web page</label>
            <textarea id={embedId} readOnly rows={3} value={share.links.embed} />
          </div>
          <div className="actions">
            <button type="button" onClick={() => void copy(share.links.embed, 'embed', 'Snippet')}>
              Copy snippet
            </button>
            <button
              type="button"
              className="secondary"
              disabled={withdraw.isPending}
              onClick={() => {
                if (window.confirm('Withdraw the public page? Its link will stop working for everyone.')) {
                  withdraw.mutate();
                }
              }}
            >
              Withdraw the public page
            </button>
          </div>
        </>
      )}
      {state.data && certificate}
      {counts && (
        <p className="hint">
          Page views: {counts.views} · Share actions: {shares}
        </p>
      )}
    </Panel>
  );
}
