import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, formatDateTime, Loading, Panel } from '../platform/components';

interface OwnApplication {
  id: string;
  job: { id: string; title: string; organization: string; status: string };
  origin: string;
  stage: string;
  allowedMoves: string[];
  invitationNote: string | null;
  rejectionReason: string | null;
  revealedAt: string | null;
  history: { from: string | null; to: string; at: string; by: string; byName: string | null }[];
  engagement: { role: string; startDate: string; status: string } | null;
}

const actions: Record<string, [string, string]> = {
  applied: ['accept', 'Accept the invitation'],
  declined: ['decline', 'Decline'],
  withdrawn: ['withdraw', 'Withdraw'],
};

/** The worker's applications and invitations: where each stands, every move, and what they may do next. */
export function MyApplicationsPage() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['my-applications'],
    queryFn: () => api<{ applications: OwnApplication[] }>('GET', '/api/me/applications'),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: string }) =>
      api('POST', `/api/me/applications/${id}/${action}`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['my-applications'] }),
  });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorMessage error={query.error} />;
  const list = query.data.applications;
  return (
    <>
      <h1>My applications</h1>
      {act.error && <ErrorMessage error={act.error} />}
      {list.length === 0 && <p>No applications or invitations yet.</p>}
      {list.map((a) => (
        <Panel key={a.id} title={`${a.job.title} · ${a.job.organization}`}>
          <p>
            Stage: <strong data-testid="stage">{a.stage}</strong>
            {a.origin === 'invited' ? ' (invited)' : ''}
            {a.rejectionReason ? ` · reason: ${a.rejectionReason}` : ''}
          </p>
          {a.invitationNote && <p>Their note: {a.invitationNote}</p>}
          {a.revealedAt && <p>Your name was shown to them on {formatDateTime(a.revealedAt)}.</p>}
          {a.engagement && (
            <p>
              Engagement: {a.engagement.role}, from {a.engagement.startDate} ({a.engagement.status})
            </p>
          )}
          <ol aria-label={`Moves of ${a.job.title}`}>
            {a.history.map((h, i) => (
              <li key={i}>
                {h.to} — {formatDateTime(h.at)}, by {h.by === 'candidate' ? 'you' : (h.byName ?? 'the employer')}
              </li>
            ))}
          </ol>
          <div className="actions">
            {a.allowedMoves.map((to) => {
              const [action, label] = actions[to] ?? [];
              return action ? (
                <button
                  key={to}
                  type="button"
                  className={to === 'applied' ? undefined : 'secondary'}
                  disabled={act.isPending}
                  onClick={() => act.mutate({ id: a.id, action })}
                >
                  {label}
                  <span className="visually-hidden"> ({a.job.title})</span>
                </button>
              ) : null;
            })}
          </div>
        </Panel>
      ))}
    </>
  );
}
