import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDate } from '../platform/components';
import { blindName } from './CandidatesPage';
import { SkillCoverage, TermsTable } from './Explanation';
import {
  jobPage,
  jobsPath,
  provenSkills,
  type CandidateDetail,
  type Job,
  type Ratings,
  type Verification,
} from './hiring-api';
import './hiring.css';

const statusLabels: Record<string, string> = {
  active: 'Verifies',
  revoked: 'Revoked',
  suspended: 'Suspended',
  expired: 'Expired',
  unverified: 'Does not verify',
  'not-the-candidate': 'Not the candidate’s',
};

function Verdict({ verification }: { verification: Verification | null }) {
  if (!verification) return <span className="muted">Could not be checked now</span>;
  const failed = verification.checks.filter((c) => c.status === 'failed');
  return (
    <span>
      <span className={`badge ${verification.verified ? 'passed' : 'failed'}`}>
        {verification.verified ? 'Verified now' : 'Fails verification now'}
      </span>
      {failed.length > 0 && <span className="muted"> {failed.map((c) => c.message).join(' ')}</span>}
    </span>
  );
}

function RatingsText({ ratings }: { ratings: Ratings }) {
  const parts = (
    [
      ['communication', 'communication'],
      ['timeliness', 'timeliness'],
      ['reliability', 'reliability'],
    ] as const
  )
    .filter(([key]) => ratings[key] !== null)
    .map(([key, label]) => `${label} ${ratings[key]}`);
  return <>{parts.length ? `Rated ${parts.join(', ')} (of 100)` : 'No ratings'}</>;
}

/** One candidate for a job: the explanation, every credential that counted with its live verdict, work, references. */
export function CandidatePage() {
  const { orgId = '', jobId = '', candidateId = '' } = useParams();
  const [search] = useSearchParams();
  const blindParam = search.get('blind');
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['orgs', orgId, 'jobs', jobId],
    queryFn: () => api<{ job: Job }>('GET', jobsPath(orgId, `/${jobId}`)).then((r) => r.job),
  });
  const detail = useQuery({
    queryKey: ['orgs', orgId, 'jobs', jobId, 'candidate', candidateId, blindParam],
    queryFn: () =>
      api<CandidateDetail>(
        'GET',
        jobsPath(orgId, `/${jobId}/candidates/${candidateId}${blindParam ? `?blind=${blindParam}` : ''}`),
      ),
  });
  const reveal = useMutation({
    mutationFn: () => api('POST', jobsPath(orgId, `/${jobId}/candidates/${candidateId}/reveal`), {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'jobs', jobId] }),
  });
  if (detail.isPending || job.isPending) return <Loading />;
  if (job.error || detail.error) return <ErrorMessage error={job.error ?? detail.error} />;
  const d = detail.data;
  const name = d.displayName ?? blindName(d.candidateId);
  const back = jobPage(orgId, jobId, blindParam ? `?blind=${blindParam}` : '');
  const label = new Map(job.data.skills.map((s) => [s.skill, s.label]));
  return (
    <div className="hiring candidate-page">
      <p>
        <Link to={back}>← Candidates for {d.job.title}</Link>
      </p>
      <h1>{name}</h1>
      <p className="lede">
        {d.score} point{d.score === 1 ? '' : 's'} for {d.job.title}
        {d.headline ? ` · ${d.headline}` : ''}
      </p>
      {d.displayName === null ? (
        <div className="notice">
          <p>Blind review: the candidate’s name and contact details are hidden.</p>
          <p>Revealing them is recorded (who, when, for which job) and shown to the candidate.</p>
          <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
            Reveal this candidate
          </button>
          <ErrorMessage error={reveal.error} />
        </div>
      ) : (
        <p>
          {d.email && (
            <>
              Email: <a href={`mailto:${d.email}`}>{d.email}</a>
            </>
          )}
          {d.revealed && <span className="muted"> (revealed for this job)</span>}
        </p>
      )}
      <Panel title="Availability">
        <dl className="facts">
          <div>
            <dt>Available from</dt>
            <dd>{d.availableFrom ? formatDate(d.availableFrom) : 'Not said'}</dd>
          </div>
          <div>
            <dt>Days a week</dt>
            <dd>{d.daysPerWeek ?? 'Not said'}</dd>
          </div>
          <div>
            <dt>Day rate</dt>
            <dd>{d.dayRate ?? 'Not said'}</dd>
          </div>
          <div>
            <dt>Roles wanted</dt>
            <dd>{d.desiredRoles.length ? d.desiredRoles.join(', ') : 'Not said'}</dd>
          </div>
        </dl>
      </Panel>
      <Panel title="Why this score">
        <SkillCoverage skills={job.data.skills} proven={provenSkills(d.terms)} label="Skills the candidate proves" />
        {d.missingRequired.length > 0 && (
          <p className="notice warn">
            Required but not proven: {d.missingRequired.map((code) => label.get(code) ?? code).join(', ')}.
          </p>
        )}
        <TermsTable terms={d.terms} score={d.score} caption="How the score adds up" />
      </Panel>
      <Panel title="Credentials">
        {d.credentials.length === 0 ? (
          <p className="empty">No credential of the job’s skills.</p>
        ) : (
          <ul className="link-list evidence">
            {d.credentials.map((c) => (
              <li key={c.credentialId}>
                <h3>{c.name}</h3>
                <p>
                  {c.issuer ?? 'Unknown issuer'}
                  {c.trustedIssuer ? ' (trusted issuer)' : ' (not in the trust registry)'} ·{' '}
                  <span className={`badge ${c.status}`}>{statusLabels[c.status] ?? c.status}</span> · {c.assessment}
                  {c.score !== null ? `, result ${c.score}` : ''}
                </p>
                <p>Skills: {c.skills.map((s) => s.label).join(', ')}</p>
                <p>
                  <Verdict verification={c.verification} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Work history">
        {d.workHistory.length === 0 ? (
          <p className="empty">No verified work history.</p>
        ) : (
          <ul className="link-list evidence">
            {d.workHistory.map((w) => (
              <li key={w.credentialId}>
                <h3>
                  {w.role}
                  {w.employer ? ` at ${w.employer}` : ''}
                </h3>
                <p>
                  {w.months} month{w.months === 1 ? '' : 's'} ·{' '}
                  <span className={`badge ${w.status}`}>{statusLabels[w.status] ?? w.status}</span> ·{' '}
                  <RatingsText ratings={w.ratings} />
                </p>
                <p>
                  <Verdict verification={w.verification} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="References">
        {d.references.length === 0 ? (
          <p className="empty">No references.</p>
        ) : (
          <ul className="link-list evidence">
            {d.references.map((r) => (
              <li key={r.credentialId}>
                <h3>From {r.from ?? 'an unnamed referee'}</h3>
                {r.comment && <blockquote>{r.comment}</blockquote>}
                <p>
                  <span className={`badge ${r.status}`}>{statusLabels[r.status] ?? r.status}</span>{' '}
                  <Verdict verification={r.verification} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
