import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Field, fieldErrors, formatDate, Loading, Panel, TextArea } from '../platform/components';
import { SkillFilter } from '../skills/SkillFilter';
import { statusLabels, walletKey, type WalletList } from '../wallet/wallet-api';
import './hiring.css';

/** An open job as the public search answers it (GET /api/jobs). */
interface OpenJob {
  id: string;
  title: string;
  orgName: string;
  kind: 'job' | 'project';
  location: string | null;
  remote: boolean;
  skills: { skill: string; label: string; required: boolean; weight: number }[];
}

/** An open job's public posting (GET /api/jobs/:jobId/posting). */
interface Posting {
  id: string;
  title: string;
  orgName: string;
  kind: 'job' | 'project';
  description: string;
  location: string | null;
  remote: boolean;
  skills: { skill: string; label: string; weight: number; minLevel: number | null; required: boolean }[];
  createdAt: string;
}

/** The worker's own application, as GET /api/me/applications and the apply route answer it. */
interface OwnApplication {
  id: string;
  job: { id: string; title: string; organization: string };
  stage: string;
  note: string;
  holdings: { holdingId: string; name: string; issuer: string | null; status: string; aligned: boolean }[];
  appliedAt: string | null;
  createdAt: string;
}

const pageSize = 20;
const filters = ['q', 'skill', 'skillName'] as const;
const kindLabels = { job: 'Job', project: 'Project' } as const;
const myApplicationsKey = ['my-applications'];

const useMyApplications = () =>
  useQuery({
    queryKey: myApplicationsKey,
    queryFn: () => api<{ applications: OwnApplication[] }>('GET', '/api/me/applications'),
  });

/** Where the job is done: its place, and whether it may be done remotely. */
const where = (job: { location: string | null; remote: boolean }) =>
  [job.location, job.remote ? 'remote' : null].filter(Boolean).join(' · ');

/** The job board: open jobs and projects a worker may apply to, searched by text and by skill. */
export function JobBoardPage() {
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const query = new URLSearchParams();
  for (const name of ['q', 'skill'] as const) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  query.set('limit', String(pageSize));
  if (offset) query.set('offset', String(offset));
  const results = useQuery({
    queryKey: ['open-jobs', query.toString()],
    queryFn: () => api<{ total: number; jobs: OpenJob[] }>('GET', `/api/jobs?${query}`),
  });
  const mine = useMyApplications();
  const appliedTo = new Map((mine.data?.applications ?? []).map((a) => [a.job.id, a.stage]));

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of filters) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  }
  const page = (at: number) => {
    const next = new URLSearchParams(params);
    if (at > 0) next.set('offset', String(at));
    else next.delete('offset');
    return `?${next}`;
  };
  const searched = filters.some((name) => params.get(name));

  return (
    <div className="hiring job-board">
      <h1>Job board</h1>
      <p className="lede">
        Open jobs and projects: apply with a note and the credentials you choose to show.{' '}
        <Link to="/hiring/applications">My applications</Link>
      </p>
      <form className="search panel" role="search" aria-label="Open jobs" onSubmit={search} key={params.toString()}>
        <div className="grid-3">
          <Field label="Search" name="q" type="search" maxLength={200} defaultValue={params.get('q') ?? ''} />
          <SkillFilter code={params.get('skill') ?? ''} name={params.get('skillName') ?? ''} />
        </div>
        <div className="actions">
          <button type="submit">Search</button>
          {searched && (
            <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
              Clear
            </button>
          )}
        </div>
      </form>
      <ErrorMessage error={results.error} />
      {results.isPending && <Loading />}
      {results.data && (
        <section aria-label="Open jobs found">
          <p className="muted" role="status">
            {results.data.total === 1 ? '1 open job' : `${results.data.total} open jobs`}
            {results.data.total > pageSize &&
              ` · ${offset + 1}–${Math.min(offset + pageSize, results.data.total)} shown`}
          </p>
          {results.data.jobs.length > 0 && (
            <ul className="cards">
              {results.data.jobs.map((job) => (
                <li key={job.id} className="card">
                  <h2>
                    <Link to={`/jobs/${job.id}`}>{job.title}</Link>
                  </h2>
                  <p className="muted">
                    {job.orgName} · {kindLabels[job.kind] ?? job.kind}
                    {where(job) && ` · ${where(job)}`}
                  </p>
                  <p className="meta">
                    Skills asked:{' '}
                    {job.skills.map((s, i) => (
                      <span key={s.skill}>
                        {i > 0 && ', '}
                        {s.label}
                        {s.required && ' (required)'}
                      </span>
                    ))}
                  </p>
                  {appliedTo.has(job.id) && (
                    <p className="meta">
                      <strong>{appliedTo.get(job.id) === 'invited' ? 'You are invited' : 'You applied'}</strong> ·{' '}
                      {appliedTo.get(job.id)}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {results.data.total > pageSize && (
            <nav aria-label="Pages of open jobs" className="actions">
              {offset > 0 && <Link to={page(Math.max(0, offset - pageSize))}>Previous page</Link>}
              {offset + pageSize < results.data.total && <Link to={page(offset + pageSize)}>Next page</Link>}
            </nav>
          )}
        </section>
      )}
    </div>
  );
}

/** One open job: what it is, the skills it weighs, and the worker's application to it (or the form to apply). */
export function JobPostingPage() {
  const { jobId = '' } = useParams();
  const posting = useQuery({
    queryKey: ['open-job', jobId],
    queryFn: () => api<{ job: Posting }>('GET', `/api/jobs/${encodeURIComponent(jobId)}/posting`).then((r) => r.job),
  });
  const mine = useMyApplications();
  const client = useQueryClient();
  const apply = useMutation({
    mutationFn: (body: { note: string; holdingIds: string[] }) =>
      api<{ application: OwnApplication }>('POST', `/api/jobs/${encodeURIComponent(jobId)}/applications`, body).then(
        (r) => r.application,
      ),
    // A 409 (applied already, invited) included: the page then shows the application the worker has.
    onSettled: () => client.invalidateQueries({ queryKey: myApplicationsKey }),
  });
  if (posting.isPending) return <Loading />;
  if (posting.error) {
    return (
      <>
        <h1>Job</h1>
        <ErrorMessage error={posting.error} />
        <p>
          <Link to="/jobs">All open jobs</Link>
        </p>
      </>
    );
  }
  const job = posting.data;
  const application = mine.data?.applications.find((a) => a.job.id === job.id);
  return (
    <div className="hiring job-posting">
      <p>
        <Link to="/jobs">All open jobs</Link>
      </p>
      <h1>{job.title}</h1>
      <p className="lede">
        {job.orgName} · {kindLabels[job.kind] ?? job.kind}
        {where(job) && ` · ${where(job)}`} · posted {formatDate(job.createdAt)}
      </p>
      <Panel title="About the job">
        {job.description.trim() ? (
          <p className="description">{job.description}</p>
        ) : (
          <p className="muted">The employer wrote no description.</p>
        )}
      </Panel>
      <Panel title="Skills asked">
        <table>
          <caption className="visually-hidden">The skills {job.title} asks for, and how much each weighs</caption>
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col">Weight (1–5)</th>
              <th scope="col">Required</th>
              <th scope="col">Minimum level</th>
            </tr>
          </thead>
          <tbody>
            {job.skills.map((s) => (
              <tr key={s.skill}>
                <th scope="row">{s.label}</th>
                <td>{s.weight}</td>
                <td>{s.required ? 'Yes' : 'No'}</td>
                <td>{s.minLevel ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {apply.data ? (
        <ApplicationPanel application={apply.data} justSent />
      ) : mine.isPending ? (
        <Loading />
      ) : mine.error ? (
        <ErrorMessage error={mine.error} />
      ) : application ? (
        <>
          {/* Applied meanwhile (another tab): the API's answer says so, and the application shows. */}
          <ErrorMessage error={apply.error} />
          <ApplicationPanel application={application} />
        </>
      ) : (
        <ApplyForm job={job} apply={apply} />
      )}
    </div>
  );
}

/** The worker's application to this job: where it stands and what they attached. */
function ApplicationPanel({ application: a, justSent = false }: { application: OwnApplication; justSent?: boolean }) {
  return (
    <Panel title="Your application">
      <div role="status">
        {justSent ? (
          <p className="notice">Your application is sent.</p>
        ) : a.stage === 'invited' ? (
          <p>The employer invited you to this job: accept or decline the invitation on your applications page.</p>
        ) : (
          <p>You applied to this job{a.appliedAt ? ` on ${formatDate(a.appliedAt)}` : ''}.</p>
        )}
      </div>
      <p>
        Stage: <strong data-testid="stage">{a.stage}</strong>
      </p>
      {a.note && <p>Your note: {a.note}</p>}
      {a.holdings.length > 0 && (
        <ul aria-label="Credentials you attached">
          {a.holdings.map((h) => (
            <li key={h.holdingId}>
              {h.name}
              {h.issuer && <span className="muted"> · {h.issuer}</span>}
              {h.aligned && ' · matches the job’s skills'}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/hiring/applications">My applications</Link>
      </p>
    </Panel>
  );
}

/** Apply: a note to the employer and the wallet holdings to attach. */
function ApplyForm({
  job,
  apply,
}: {
  job: Posting;
  apply: UseMutationResult<OwnApplication, Error, { note: string; holdingIds: string[] }>;
}) {
  const wallet = useQuery({ queryKey: [...walletKey, ''], queryFn: () => api<WalletList>('GET', '/api/me/wallet') });
  const [note, setNote] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const errors = fieldErrors(apply.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply.mutate({ note, holdingIds: [...chosen] });
  }

  return (
    <Panel title={`Apply to ${job.title}`}>
      <form onSubmit={submit} noValidate>
        <TextArea
          label="Note to the employer"
          hint="Why you, in a few lines (up to 2,000 characters)."
          name="note"
          rows={5}
          maxLength={2000}
          value={note}
          error={errors.note}
          onChange={(e) => setNote(e.target.value)}
        />
        <fieldset>
          <legend>Credentials to attach</legend>
          <p className="hint">The employer sees the ones you attach, each checked when you apply.</p>
          {wallet.isPending ? (
            <Loading />
          ) : wallet.error ? (
            <ErrorMessage error={wallet.error} />
          ) : wallet.data.items.length === 0 ? (
            <p className="hint">
              Your wallet holds no credentials yet. <Link to="/wallet/import">Import one</Link>
            </p>
          ) : (
            <ul className="link-list" aria-label="Your credentials">
              {wallet.data.items.map((h) => (
                <li key={h.id}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      name="holdingIds"
                      value={h.id}
                      checked={chosen.has(h.id)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(h.id);
                        else next.delete(h.id);
                        setChosen(next);
                      }}
                    />{' '}
                    {h.name} <span className="muted">· {h.issuer.name ?? h.issuer.id ?? 'unknown issuer'}</span>{' '}
                    <span className={`badge ${h.status}`}>{statusLabels[h.status] ?? h.status}</span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {errors.holdingIds && <p className="field-error">{errors.holdingIds}</p>}
        </fieldset>
        <ErrorMessage error={apply.error} />
        <div className="actions">
          <button type="submit" disabled={apply.isPending}>
            Apply
          </button>
        </div>
      </form>
    </Panel>
  );
}
