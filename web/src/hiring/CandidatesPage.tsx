import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';
import { SkillCoverage, TermsTable } from './Explanation';
import { jobStatusLabels } from './JobsPage';
import {
  jobPage,
  jobsPath,
  pointsByKind,
  provenSkills,
  type Job,
  type Ranking,
  type RankedCandidate,
} from './hiring-api';
import './hiring.css';

const pageSize = 20;

/** A blind candidate's label: a stable short id, never a name. */
export const blindName = (candidateId: string) => `Candidate ${candidateId.slice(0, 8)}`;

/** A job's discoverable candidates, ranked by verified evidence, each with the reason for every point. */
export function CandidatesPage() {
  const { orgId = '', jobId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const blindParam = search.get('blind');
  const job = useQuery({
    queryKey: ['orgs', orgId, 'jobs', jobId],
    queryFn: () => api<{ job: Job }>('GET', jobsPath(orgId, `/${jobId}`)).then((r) => r.job),
  });
  const blind = blindParam === null ? (job.data?.blind ?? true) : blindParam === 'true';
  const ranking = useQuery({
    queryKey: ['orgs', orgId, 'jobs', jobId, 'candidates', offset, blind],
    queryFn: () =>
      api<Ranking>(
        'GET',
        jobsPath(orgId, `/${jobId}/candidates?limit=${pageSize}&offset=${offset}&blind=${blind ? 'true' : 'false'}`),
      ),
    enabled: job.isSuccess,
  });
  const setParams = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(change)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setSearch(next);
  };
  if (job.isPending) return <Loading />;
  if (job.error) return <ErrorMessage error={job.error} />;
  const total = ranking.data?.total ?? 0;
  return (
    <div className="hiring">
      <p>
        <Link to="/hiring">← Jobs and projects</Link>
      </p>
      <h1>{job.data.title}</h1>
      <p className="lede">
        <span className={`badge ${job.data.status}`}>{jobStatusLabels[job.data.status]}</span>{' '}
        {job.data.kind === 'project' ? 'Project' : 'Job'}
        {job.data.location ? ` · ${job.data.location}` : ''}
        {job.data.remote ? ' · remote possible' : ''} · <Link to={jobPage(orgId, jobId, '/edit')}>Edit the job</Link>
        {job.data.kind === 'project' && (
          <>
            {' '}
            · <Link to={jobPage(orgId, jobId, '/team')}>Staff the team</Link>
          </>
        )}
      </p>
      <Panel title="Ranked candidates">
        <p className="hint">
          Only candidates who chose to be found and prove every required skill, ranked by the evidence that verifies
          now: credentials (tested and trusted ones count more, each further one less), verified work history and
          references. A score is exactly the sum of its points; open “Why” to read each one.
        </p>
        <label className="choice">
          <input
            type="checkbox"
            checked={blind}
            onChange={(e) => setParams({ blind: e.target.checked ? 'true' : 'false', offset: null })}
          />{' '}
          Blind review: hide names and contact details
        </label>
        <ErrorMessage error={ranking.error} />
        {ranking.isPending && <Loading />}
        {ranking.data && (
          <>
            <p aria-live="polite">
              {total === 0
                ? 'No discoverable candidate holds evidence of these skills yet.'
                : `${total} candidate${total === 1 ? '' : 's'}; showing ${offset + 1}–${offset + ranking.data.candidates.length}.`}
            </p>
            <ol className="candidates" start={offset + 1}>
              {ranking.data.candidates.map((c, i) => (
                <CandidateCard
                  key={c.candidateId}
                  candidate={c}
                  rank={offset + i + 1}
                  job={job.data}
                  href={jobPage(orgId, jobId, `/candidates/${c.candidateId}${blind ? '' : '?blind=false'}`)}
                />
              ))}
            </ol>
            {total > pageSize && (
              <nav aria-label="Pages of candidates" className="actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={offset === 0}
                  onClick={() => setParams({ offset: String(Math.max(0, offset - pageSize)) })}
                >
                  Previous
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={offset + pageSize >= total}
                  onClick={() => setParams({ offset: String(offset + pageSize) })}
                >
                  Next
                </button>
              </nav>
            )}
          </>
        )}
      </Panel>
    </div>
  );
}

function CandidateCard({
  candidate,
  rank,
  job,
  href,
}: {
  candidate: RankedCandidate;
  rank: number;
  job: Job;
  href: string;
}) {
  const name = candidate.displayName ?? blindName(candidate.candidateId);
  const by = pointsByKind(candidate.terms);
  const counted = new Set(
    candidate.terms.filter((t) => t.kind === 'credential' && t.points > 0).map((t) => t.credentialId),
  ).size;
  const notCounted = new Set(
    candidate.terms
      .filter(
        (t) =>
          t.points === 0 &&
          t.credentialId &&
          !candidate.terms.some((o) => o.credentialId === t.credentialId && o.points > 0),
      )
      .map((t) => t.credentialId),
  ).size;
  return (
    <li className="candidate card">
      <h3>
        <span className="rank">#{rank}</span> <Link to={href}>{name}</Link>{' '}
        <span className="score">
          {candidate.score} point{candidate.score === 1 ? '' : 's'}
        </span>
        {candidate.revealed && <span className="badge">Revealed</span>}
      </h3>
      <SkillCoverage skills={job.skills} proven={provenSkills(candidate.terms)} label={`Skills ${name} proves`} />
      <p className="breakdown">
        Credentials {by.credentials} ({counted} counting{notCounted ? `, ${notCounted} not` : ''}) · Work history{' '}
        {by.workHistory} · References {by.references}
      </p>
      <details>
        <summary>
          Why {candidate.score} points<span className="visually-hidden"> for {name}</span>
        </summary>
        <TermsTable terms={candidate.terms} score={candidate.score} caption={`How ${name}’s score adds up`} />
      </details>
    </li>
  );
}
