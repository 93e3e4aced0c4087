import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';
import type { AdviceAnswer } from '../../../src/advice/plan.js';

type Plan = NonNullable<AdviceAnswer['plan']>;

export interface OccupationHit {
  id: string;
  framework: string;
  code: string;
  name: string;
  url: string;
}

/** An open job as the public job search answers it. */
export interface JobHit {
  id: string;
  title: string;
  orgName: string;
  kind: string;
  location: string | null;
  remote: boolean;
  skills: { skill: string; label: string; required: boolean; weight: number }[];
}

type Target = { occupation: string } | { jobId: string };

export interface Role {
  occupation: string;
  name: string;
  framework: string;
  closeness: number;
  gap: { essential: number; optional: number };
  plan: { totalHours: number; credentials: number; optimal: boolean } | null;
  uncovered: number;
}

const hours = (h: number) => `${h} h`;

function PlanView({ plan, label }: { plan: Plan; label: string }) {
  return (
    <section aria-label={label} className="advice-plan">
      <h3>
        {label}: {hours(plan.totalHours)} in {plan.credentials.length} micro-credential
        {plan.credentials.length === 1 ? '' : 's'}
        {plan.optimal ? ' (least total hours)' : ` (best found; no plan under ${hours(plan.lowerBound)})`}
      </h3>
      <ol>
        {plan.credentials.map((c) => (
          <li key={c.achievementId}>
            <Link to={`/catalog/${c.achievementId}`}>{c.name}</Link> — {c.issuer.name}, {hours(c.hours)},{' '}
            {c.participationForm}, {c.language}
            <p className="hint">{c.why}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The answer to a plan question: held vs missing, the plan, what blocks it, the alternatives, why. */
export function AnswerView({ answer, whatIf = false }: { answer: AdviceAnswer; whatIf?: boolean }) {
  const label = new Map(answer.gap.map((g) => [g.skill, g.label]));
  const heldName = whatIf ? 'Skills you have' : 'Skills you prove';
  return (
    <div aria-live="polite">
      <Panel title={`Your gap to ${answer.target.name}`}>
        <div className="advice-columns">
          <section aria-label={heldName}>
            <h3>
              {whatIf ? 'You have' : 'You prove'} ({answer.held.length})
            </h3>
            {answer.held.length === 0 ? (
              <p className="hint">None of this target’s skills yet.</p>
            ) : (
              <ul>
                {answer.held.map((h) => (
                  <li key={h.skill}>
                    ✓ {h.label}
                    {h.via.narrower && <span className="muted"> (through {h.via.label})</span>}
                    {h.evidence[0] && <span className="muted"> · {h.evidence[0].credential}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Skills you are missing">
            <h3>Missing ({answer.gap.length})</h3>
            <ul>
              {answer.gap.map((g) => (
                <li key={g.skill}>
                  ✗ {g.label} <span className="muted">· {g.essential ? 'essential' : 'optional'}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </Panel>
      <Panel title="The plan">
        {answer.plan ? (
          <PlanView plan={answer.plan} label="Plan" />
        ) : (
          <p>
            {answer.status === 'no-gap'
              ? `You already ${whatIf ? 'have' : 'prove'} every essential skill.`
              : 'No plan within your filters.'}
          </p>
        )}
        {answer.infeasible && (
          <div role="note">
            <p>{answer.infeasible.reason}</p>
            <ul>
              {answer.infeasible.skills.map((s) => (
                <li key={s.skill}>
                  {s.label}: {s.why}
                </li>
              ))}
            </ul>
          </div>
        )}
        {answer.uncovered.length > 0 && (
          <p>No micro-credential here teaches: {answer.uncovered.map((s) => label.get(s) ?? s).join(', ')}.</p>
        )}
        {answer.alternatives.map((plan, i) => (
          <PlanView key={i} plan={plan} label={`Alternative ${i + 1}`} />
        ))}
        <details>
          <summary>Why this plan</summary>
          <ul>
            {answer.explanation.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      </Panel>
    </div>
  );
}

/** Roles within reach: closeness, the gap and the least plan's hours for each, and a button to plan for it. */
export function RolesTable({
  roles,
  caption,
  onPlan,
}: {
  roles: Role[];
  caption: string;
  onPlan(occupation: string): void;
}) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Occupation</th>
          <th scope="col">Closeness</th>
          <th scope="col">Missing (essential / optional)</th>
          <th scope="col">Plan</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {roles.map((r) => (
          <tr key={r.occupation}>
            <td>
              {r.name} <span className="muted">· {r.framework}</span>
            </td>
            <td>{Math.round(r.closeness * 100)}%</td>
            <td>
              {r.gap.essential} / {r.gap.optional}
            </td>
            <td>
              {r.plan
                ? `${hours(r.plan.totalHours)}, ${r.plan.credentials} credential${r.plan.credentials === 1 ? '' : 's'}`
                : '—'}
              {r.uncovered > 0 && <span className="muted"> ({r.uncovered} not taught here)</span>}
            </td>
            <td>
              <button type="button" className="secondary" onClick={() => onPlan(r.occupation)}>
                Plan<span className="visually-hidden"> for {r.name}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The learner's Advice page: choose an occupation or an open job, see held vs missing, the least-hours plan, roles within reach. */
export function AdvicePage() {
  const searchId = useId();
  const hoursId = useId();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<'occupation' | 'job'>('occupation');
  const [maxHours, setMaxHours] = useState('');
  const [onlineOnly, setOnlineOnly] = useState(false);
  const term = query.trim();
  const occupations = useQuery({
    queryKey: ['occupations', term],
    queryFn: () =>
      api<{ occupations: OccupationHit[] }>('GET', `/api/occupations?q=${encodeURIComponent(term)}&limit=8`),
    enabled: kind === 'occupation' && term.length >= 2,
  });
  const jobs = useQuery({
    queryKey: ['open-jobs', term],
    queryFn: () => api<{ total: number; jobs: JobHit[] }>('GET', `/api/jobs?q=${encodeURIComponent(term)}&limit=8`),
    enabled: kind === 'job' && term.length >= 2,
  });
  const roles = useQuery({
    queryKey: ['advice-roles'],
    queryFn: () => api<{ roles: Role[]; verifiedSkills: number }>('GET', '/api/me/advice/occupations?limit=10'),
  });
  const plan = useMutation({
    mutationFn: (target: Target) =>
      api<AdviceAnswer>('POST', '/api/me/advice/plan', {
        target,
        filters: {
          ...(Number(maxHours) > 0 ? { maxHours: Number(maxHours) } : {}),
          ...(onlineOnly ? { onlineOnly: true } : {}),
        },
      }),
  });
  const choose = (occupation: string) => plan.mutate({ occupation });

  return (
    <main className="page">
      <h1>Reskilling advice</h1>
      <p className="hint">
        From the skills your active credentials prove: what a role asks that you cannot prove yet, and the fewest hours
        of micro-credentials on offer here that close it. To try skills you do not hold yet, ask{' '}
        <Link to="/advice/what-if">what would it take</Link>.
      </p>
      <Panel title="Choose a target role">
        <form onSubmit={(e: FormEvent) => e.preventDefault()}>
          <fieldset>
            <legend>Plan toward</legend>
            <label>
              <input
                type="radio"
                name="advice-target-kind"
                value="occupation"
                checked={kind === 'occupation'}
                onChange={() => setKind('occupation')}
              />{' '}
              An occupation
            </label>{' '}
            <label>
              <input
                type="radio"
                name="advice-target-kind"
                value="job"
                checked={kind === 'job'}
                onChange={() => setKind('job')}
              />{' '}
              An open job
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor={searchId}>{kind === 'job' ? 'Search open jobs' : 'Search occupations'}</label>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={hoursId}>Most hours (optional)</label>
            <input
              id={hoursId}
              type="number"
              min="1"
              inputMode="numeric"
              value={maxHours}
              onChange={(e) => setMaxHours(e.target.value)}
            />
          </div>
          <label>
            <input type="checkbox" checked={onlineOnly} onChange={(e) => setOnlineOnly(e.target.checked)} /> Online only
          </label>
        </form>
        {kind === 'job' && jobs.error && <ErrorMessage error={jobs.error} />}
        {kind === 'job' && term.length >= 2 && (
          <ul aria-label="Matching open jobs" aria-busy={jobs.isFetching}>
            {jobs.data?.jobs.length === 0 && <li>No open job matches.</li>}
            {(jobs.data?.jobs ?? []).map((j) => (
              <li key={j.id}>
                {j.title}{' '}
                <span className="muted">
                  · {j.orgName}
                  {j.location ? ` · ${j.location}` : ''}
                  {j.remote ? ' · remote' : ''} · {j.skills.map((s) => s.label).join(', ')}
                </span>{' '}
                <button type="button" className="secondary" onClick={() => plan.mutate({ jobId: j.id })}>
                  Plan for {j.title}
                </button>
              </li>
            ))}
          </ul>
        )}
        {kind === 'occupation' && term.length >= 2 && (
          <ul aria-label="Matching occupations" aria-busy={occupations.isFetching}>
            {(occupations.data?.occupations ?? []).map((o) => (
              <li key={o.id}>
                {o.name} <span className="muted">· {o.framework}</span>{' '}
                <button type="button" className="secondary" onClick={() => choose(o.url || o.code)}>
                  Plan for {o.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      {plan.isPending && <Loading />}
      {plan.error && <ErrorMessage error={plan.error} />}
      {plan.data && <AnswerView answer={plan.data} />}
      <Panel title="Roles within reach">
        {roles.isPending ? (
          <Loading />
        ) : roles.error ? (
          <ErrorMessage error={roles.error} />
        ) : roles.data.roles.length === 0 ? (
          <p>Your credentials prove no skills yet: earn or import one, and the roles closest to it show here.</p>
        ) : (
          <RolesTable roles={roles.data.roles} caption="Occupations closest to your verified skills" onPlan={choose} />
        )}
      </Panel>
    </main>
  );
}
