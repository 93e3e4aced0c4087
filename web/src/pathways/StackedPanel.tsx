import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, api } from '../platform/api';
import { ErrorMessage, Panel, formatDate } from '../platform/components';
import { statusLabels } from '../wallet/wallet-api';
import type { StackedView } from './pathways-api';

/**
 * In the wallet, for a stacked credential: the pathway it completes and the component credentials it was awarded
 * for, each with its status now (or that it left the wallet), and the issuer's review of a revoked one.
 * Nothing shows for a credential that is not stacked.
 */
export function StackedPanel({ holdingId }: { holdingId: string }) {
  const stacked = useQuery({
    queryKey: ['me', 'stacked', holdingId],
    queryFn: () =>
      api<StackedView>('GET', `/api/me/stacked/${holdingId}`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    staleTime: 0,
  });
  if (stacked.error) return <ErrorMessage error={stacked.error} />;
  if (!stacked.data) return null;
  const s = stacked.data;
  const flagOf = new Map(s.flags.map((f) => [f.componentHoldingId, f]));
  return (
    <Panel title="Stacked from">
      <p>
        Awarded for completing the pathway{' '}
        <Link to={`/pathways/${s.pathway.id}`}>{s.pathway.title ?? 'this pathway'}</Link>
        {s.pathway.issuer ? ` of ${s.pathway.issuer.name}` : ''} (version {s.pathway.version})
        {s.issuedAt ? ` on ${formatDate(s.issuedAt)}` : ''}, with these {s.components.length} credentials as its
        evidence:
      </p>
      <ul aria-label="Component credentials">
        {s.components.map((c) => {
          const flag = flagOf.get(c.holdingId ?? '');
          return (
            <li key={`${c.component}-${c.digest}`}>
              {c.holdingId ? <Link to={`/wallet/${c.holdingId}`}>{c.name}</Link> : c.name}
              {c.issuer.name ? <span className="muted"> · {c.issuer.name}</span> : null}{' '}
              {c.status ? (
                <span className={`badge ${c.status}`}>{statusLabels[c.status]}</span>
              ) : (
                <span className="badge">No longer in your wallet</span>
              )}
              {c.sameBytes === false && <span className="muted"> · held now in a different copy</span>}
              {flag && (
                <p className="hint">
                  {flag.decision === null
                    ? `Under review by the issuer since ${formatDate(flag.flaggedAt)}: ${flag.reason}`
                    : `Reviewed on ${formatDate(flag.decidedAt)}: the issuer chose to ${flag.decision === 'keep' ? 'keep' : 'revoke'} this credential.`}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
