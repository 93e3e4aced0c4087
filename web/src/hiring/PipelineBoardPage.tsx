import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useParams } from 'react-router';
import { useSession } from '../accounts/session';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';

interface BoardApplication {
  id: string;
  stage: string;
  origin: string;
  allowedMoves: string[];
  displayName: string | null;
  note: string | null;
  alignedCredential: boolean | null;
  holdings: { holdingId: string; name: string; status: string }[];
}
interface Board {
  job: { id: string; title: string; blind: boolean };
  counts: Record<string, number>;
  applications: BoardApplication[];
}

const columns = ['invited', 'applied', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn', 'declined'];
const reasons = [
  'skills-not-matching',
  'experience',
  'availability',
  'rate',
  'position-filled',
  'other-candidate',
  'no-response',
  'other',
];

function Card({
  application,
  onMove,
  busy,
}: {
  application: BoardApplication;
  onMove(body: object): void;
  busy: boolean;
}) {
  const id = useId();
  const [reason, setReason] = useState(reasons[0]!);
  const [start, setStart] = useState(new Date().toISOString().slice(0, 10));
  const [dayRate, setDayRate] = useState('400');
  const who = application.displayName ?? `Candidate ${application.id.slice(0, 8)} (hidden)`;
  const forward = application.allowedMoves.find((m) => m !== 'rejected');
  return (
    <li className="panel">
      <p>
        <strong>{who}</strong>
        {application.alignedCredential ? ' · verified aligned credential' : ''}
      </p>
      {application.note && <p>{application.note}</p>}
      {forward === 'hired' && (
        <div className="field-row">
          <label htmlFor={`${id}-start`}>Start</label>
          <input id={`${id}-start`} type="date" value={start} onChange={(e) => setStart(e.target.value)} />
          <label htmlFor={`${id}-rate`}>Day rate</label>
          <input id={`${id}-rate`} type="number" min="0" value={dayRate} onChange={(e) => setDayRate(e.target.value)} />
        </div>
      )}
      {forward && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            onMove(
              forward === 'hired'
                ? { stage: 'hired', engagement: { start, dayRate: Number(dayRate) } }
                : { stage: forward },
            )
          }
        >
          Move to {forward}
          <span className="visually-hidden"> ({who})</span>
        </button>
      )}
      {application.allowedMoves.includes('rejected') && (
        <>
          <label htmlFor={`${id}-reason`}>Reason</label>
          <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => onMove({ stage: 'rejected', reason })}
          >
            Reject
            <span className="visually-hidden"> ({who})</span>
          </button>
        </>
      )}
    </li>
  );
}

/** The employer's pipeline board of one job: a column per stage, buttons to move (keyboard-reachable), the funnel chart. */
export function PipelineBoardPage() {
  const { jobId = '' } = useParams();
  const { currentOrg } = useSession();
  const orgId = currentOrg?.org.id ?? '';
  const client = useQueryClient();
  const key = ['pipeline', orgId, jobId];
  const board = useQuery({
    queryKey: key,
    queryFn: () => api<Board>('GET', `/api/orgs/${orgId}/jobs/${jobId}/applications?limit=200`),
    enabled: !!orgId,
  });
  const move = useMutation({
    mutationFn: ({ id, body }: { id: string; body: object }) =>
      api('POST', `/api/orgs/${orgId}/jobs/${jobId}/applications/${id}/stage`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  if (!orgId) return <p>Pick an organization first.</p>;
  if (board.isPending) return <Loading />;
  if (board.error) return <ErrorMessage error={board.error} />;
  const { job, counts, applications } = board.data;
  return (
    <>
      <h1>Pipeline: {job.title}</h1>
      {job.blind && <p className="hint">Blind review: names show from the interview on (each reveal is recorded).</p>}
      {move.error && <ErrorMessage error={move.error} />}
      <div className="pipeline">
        {columns.map((stage) => (
          <section key={stage} aria-label={`${stage} (${counts[stage] ?? 0})`}>
            <h2>
              {stage} ({counts[stage] ?? 0})
            </h2>
            <ul>
              {applications
                .filter((a) => a.stage === stage)
                .map((a) => (
                  <Card
                    key={a.id}
                    application={a}
                    busy={move.isPending}
                    onMove={(body) => move.mutate({ id: a.id, body })}
                  />
                ))}
            </ul>
          </section>
        ))}
      </div>
      <h2>Funnel</h2>
      <img
        key={applications.map((a) => a.stage).join()}
        src={`/api/orgs/${orgId}/funnel.svg?jobId=${jobId}`}
        alt={`Hiring funnel of ${job.title}: applications reaching each stage, with and without a verified aligned credential`}
        width={720}
      />
    </>
  );
}
