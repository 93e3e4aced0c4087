import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, formatDate } from '../platform/components';
import { useSession } from '../accounts/session';

interface WaitingClaim {
  achievement: { id: string | null; name: string | null };
  issuer: { id: string; name: string };
  issuedAt: string;
  recipient: string;
  claimed: boolean;
}

/** The page a claim link opens: what waits, and a button to take it into the signed-in account's wallet. */
export function ClaimPage() {
  const { token = '' } = useParams();
  const { session } = useSession();
  const claim = useQuery({
    queryKey: ['claim', token],
    queryFn: () => api<WaitingClaim>('GET', `/api/claims/${encodeURIComponent(token)}`),
    retry: false,
  });
  const take = useMutation({ mutationFn: () => api('POST', `/api/claims/${encodeURIComponent(token)}`) });
  const waiting = claim.data;
  return (
    <div className="claim">
      <h1>Claim your credential</h1>
      <ErrorMessage error={claim.error ?? take.error} />
      {waiting && (
        <section className="panel" aria-live="polite">
          <h2>{waiting.achievement.name ?? 'A micro-credential'}</h2>
          <p>
            Awarded by <strong>{waiting.issuer.name}</strong> on {formatDate(waiting.issuedAt)} to {waiting.recipient}.
          </p>
          {take.isSuccess ? (
            <p>
              It is in your wallet now. <Link to="/dashboard">Go to your dashboard</Link>
            </p>
          ) : waiting.claimed ? (
            <p>This credential has been claimed already.</p>
          ) : session ? (
            <button type="button" onClick={() => take.mutate()} disabled={take.isPending}>
              Add it to my wallet
            </button>
          ) : (
            <p>
              <Link to="/sign-in">Sign in</Link> or <Link to="/sign-up">create an account</Link> with the email it was
              awarded to, then open this link again.
            </p>
          )}
        </section>
      )}
    </div>
  );
}
