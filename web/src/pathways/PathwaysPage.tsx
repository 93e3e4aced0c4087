import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';
import { pathwaysKey, type PathwaySummary } from './pathways-api';

/** The published pathways a learner is on or near: those sharing at least one component with the wallet. */
export function PathwaysPage() {
  const list = useQuery({
    queryKey: pathwaysKey,
    queryFn: () => api<{ pathways: PathwaySummary[] }>('GET', '/api/me/pathways').then((r) => r.pathways),
    staleTime: 0,
  });
  return (
    <div className="stack">
      <h1>My pathways</h1>
      <p className="lede">
        Larger qualifications your credentials stack into, across issuers. A pathway shows here once a credential in
        your wallet counts towards it.
      </p>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data?.length === 0 && (
        <p className="empty">
          None of your credentials is part of a published pathway yet. <Link to="/catalog">Browse the catalog</Link>
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Pathways you are on or near</caption>
            <thead>
              <tr>
                <th scope="col">Pathway</th>
                <th scope="col">Issuer</th>
                <th scope="col">Leads to</th>
                <th scope="col">Components held</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.pathwayId}>
                  <td>
                    <Link to={`/pathways/${p.pathwayId}`}>{p.title}</Link>
                  </td>
                  <td>{p.issuer.name}</td>
                  <td>{p.destination.name ?? '—'}</td>
                  <td>
                    {p.satisfied} of {p.components}
                    {p.notCounted > 0 && <span className="muted"> ({p.notCounted} not counted)</span>}
                  </td>
                  <td>
                    <PathwayState summary={p} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function PathwayState({ summary }: { summary: Pick<PathwaySummary, 'complete' | 'award'> }) {
  if (summary.award?.state === 'issued') return <span className="badge active">Awarded</span>;
  if (summary.complete) return <span className="badge open">Complete: being awarded</span>;
  return <span className="badge">In progress</span>;
}
