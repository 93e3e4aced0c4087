import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { Panel } from '../platform/components';

interface RolesClosed {
  total: number;
  roles: { occupation: string; name: string; framework: string; closes: number; essential: number; skills: string[] }[];
}

/** On a micro-credential's page: the roles whose essential skills it teaches ("this closes N skills for …"). */
export function ClosesForRoles({ achievementId }: { achievementId: string }) {
  const roles = useQuery({
    queryKey: ['advice-closes', achievementId],
    queryFn: () =>
      api<RolesClosed>('GET', `/api/advice/achievements/${encodeURIComponent(achievementId)}/roles?limit=5`),
  });
  if (!roles.data || roles.data.roles.length === 0) return null;
  return (
    <Panel title="Roles it brings closer">
      <ul>
        {roles.data.roles.map((r) => (
          <li key={r.occupation}>
            Closes {r.closes} of the {r.essential} essential skills of <strong>{r.name}</strong>{' '}
            <span className="muted">
              · {r.framework} · {r.skills.join(', ')}
            </span>
          </li>
        ))}
      </ul>
      {roles.data.total > roles.data.roles.length && (
        <p className="hint">and {roles.data.total - roles.data.roles.length} more roles.</p>
      )}
      <p>
        <Link to="/advice">See what you still need for a role</Link>
      </p>
    </Panel>
  );
}
