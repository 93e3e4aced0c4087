import { useQuery } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';

interface AchievementShares {
  achievementId: string;
  name: string | null;
  issued: number;
  shared: number;
  shareRate: number;
  views: number;
}

/** How often learners share each micro-credential, and how often its public pages are opened. */
export function ShareStats({ orgId }: { orgId: string }) {
  const stats = useQuery({
    queryKey: ['orgs', orgId, 'share-stats'],
    queryFn: () =>
      api<{ achievements: AchievementShares[] }>('GET', `/api/orgs/${orgId}/share-stats`).then((r) => r.achievements),
  });
  return (
    <Panel title="Sharing">
      <ErrorMessage error={stats.error} />
      {stats.isPending && <Loading />}
      {stats.data?.length === 0 && <p className="empty">No credential of a micro-credential issued yet.</p>}
      {!!stats.data?.length && (
        <table>
          <caption>Share rate per micro-credential</caption>
          <thead>
            <tr>
              <th scope="col">Micro-credential</th>
              <th scope="col">Issued</th>
              <th scope="col">Shared</th>
              <th scope="col">Share rate</th>
              <th scope="col">Page views</th>
            </tr>
          </thead>
          <tbody>
            {stats.data.map((a) => (
              <tr key={a.achievementId}>
                <td>{a.name ?? a.achievementId}</td>
                <td>{a.issued}</td>
                <td>{a.shared}</td>
                <td>{Math.round(a.shareRate * 100)}%</td>
                <td>{a.views}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
