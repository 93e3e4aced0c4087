import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDate } from '../platform/components';
import { orgPath, useIssuerOrg } from '../accounts/issuer';
import type { AchievementRecord } from '../platform/types';
import { ProfilePanel } from './ProfilePanel';

export const statusLabels = { draft: 'Draft', published: 'Published', retired: 'Retired' } as const;

/** For issuers of the current organization: its profile and its micro-credentials. */
export function IssuerConsolePage() {
  const membership = useIssuerOrg();
  if (!membership) return <NotAnIssuer />;
  return (
    <div className="issuer-console">
      <h1>Issuer console</h1>
      <p className="lede">{membership.org.name}</p>
      <AchievementsPanel orgId={membership.org.id} />
      <ProfilePanel membership={membership} />
    </div>
  );
}

export function NotAnIssuer() {
  return (
    <div>
      <h1>Issuer console</h1>
      <p>
        You do not issue credentials for the organization you are acting for. Choose another organization in the header,
        or ask its owner for the issuer role.
      </p>
    </div>
  );
}

function AchievementsPanel({ orgId }: { orgId: string }) {
  const list = useQuery({
    queryKey: ['orgs', orgId, 'achievements'],
    queryFn: () =>
      api<{ achievements: AchievementRecord[] }>('GET', orgPath(orgId, '/achievements')).then((r) => r.achievements),
  });
  return (
    <Panel title="Micro-credentials">
      <p>
        <Link to="/issuer/achievements/new" className="button">
          New micro-credential
        </Link>{' '}
        <Link to="/issuer/pathways">Pathways: how they stack</Link>
      </p>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data?.length === 0 && <p className="empty">No micro-credentials defined yet.</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Micro-credentials</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Code</th>
                <th scope="col">Status</th>
                <th scope="col">Versions</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/issuer/achievements/${a.id}`}>{a.draft.title || 'Untitled'}</Link>
                  </td>
                  <td className="nowrap">{a.code}</td>
                  <td>
                    <span className={`badge ${a.status}`}>{statusLabels[a.status]}</span>
                  </td>
                  <td>{a.latestVersion || '—'}</td>
                  <td>{formatDate(a.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
