import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api } from '../../platform/api';
import { ErrorMessage, Loading, Panel } from '../../platform/components';
import { candidateLabel, checkTeam, type TeamAnswer, type TeamView } from './check';

type Pool = 'ranked' | 'applicants' | 'both';
const poolLabels: [Pool, string][] = [
  ['ranked', 'Ranked candidates (discoverable)'],
  ['applicants', 'Applicants to this project'],
  ['both', 'Both'],
];
const money = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 2 });

function TeamTable({ team, answer, caption }: { team: TeamView; answer: TeamAnswer; caption: string }) {
  const label = new Map(answer.requirements.map((r) => [r.skill, r.label]));
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Day rate</th>
          <th scope="col">Score</th>
          <th scope="col">Covers</th>
        </tr>
      </thead>
      <tbody>
        {team.members.map((m) => (
          <tr key={m.candidateId}>
            <th scope="row">{candidateLabel(m)}</th>
            <td>{money(m.dayRate)}</td>
            <td>{m.score}</td>
            <td>{m.covers.map((s) => label.get(s) ?? s).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Swap one member for another candidate of the pool, and see what the changed team breaks. */
function SwapMember({ team, answer }: { team: TeamView; answer: TeamAnswer }) {
  const [out, setOut] = useState(team.members[0]?.candidateId ?? '');
  const inTeam = new Set(team.members.map((m) => m.candidateId));
  const others = answer.pool.candidates.filter((c) => !inTeam.has(c.candidateId));
  const [incoming, setIncoming] = useState(others[0]?.candidateId ?? '');
  if (team.members.length === 0 || others.length === 0) {
    return <p className="hint">No other candidate in the pool to swap in.</p>;
  }
  const swapped = team.members.map((m) => (m.candidateId === out ? incoming : m.candidateId));
  const check = checkTeam(swapped, answer);
  const problems = [
    ...check.short.map((r) => `${r.label}: held by ${r.held} of the ${r.members} member(s) it needs`),
    ...(check.overSize ? [`More than ${answer.maxSize} members`] : []),
    ...(check.overBudget
      ? [`Day rates add up to ${money(check.totalDayRate)}, over the budget of ${money(answer.budget!)}`]
      : []),
  ];
  return (
    <fieldset>
      <legend>Swap a member</legend>
      <div className="field">
        <label htmlFor="swap-out">Take out</label>
        <select id="swap-out" value={out} onChange={(e) => setOut(e.target.value)}>
          {team.members.map((m) => (
            <option key={m.candidateId} value={m.candidateId}>
              {candidateLabel(m)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="swap-in">Put in</label>
        <select id="swap-in" value={incoming} onChange={(e) => setIncoming(e.target.value)}>
          {others.map((c) => (
            <option key={c.candidateId} value={c.candidateId}>
              {candidateLabel(c)} · {money(c.dayRate)} a day
            </option>
          ))}
        </select>
      </div>
      <p aria-live="polite">
        The changed team: {check.size} members, day rates {money(check.totalDayRate)}, score {check.totalScore} (best
        team: {money(team.totalDayRate)}, score {team.totalScore}).
      </p>
      {problems.length === 0 ? (
        <p>Nothing breaks: the changed team still covers every required skill.</p>
      ) : (
        <div role="status">
          <p>What breaks:</p>
          <ul aria-label="What breaks">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}

function Answer({ answer }: { answer: TeamAnswer }) {
  return (
    <>
      <Panel title={answer.status === 'infeasible' ? 'No team covers the project' : 'Best team'}>
        <p>{answer.statement}</p>
        {answer.infeasible && answer.infeasible.uncovered.length > 0 && (
          <ul aria-label="Skills no available candidate covers">
            {answer.infeasible.uncovered.map((u) => (
              <li key={u.skill}>
                {u.label}: {u.holders} available holder(s), {u.needed} needed
              </li>
            ))}
          </ul>
        )}
        {answer.team && (
          <>
            <p>
              {answer.team.size} member(s), day rates adding up to {money(answer.team.totalDayRate)}, summed score{' '}
              {answer.team.totalScore}.
            </p>
            <TeamTable team={answer.team} answer={answer} caption="Members of the best team" />
            <h3>Who covers which skill</h3>
            <ul aria-label="Coverage">
              {answer.team.coverage.map((c) => (
                <li key={c.skill}>
                  {c.label} (needs {c.needed}):{' '}
                  {c.members
                    .map((id) => candidateLabel(answer.team!.members.find((m) => m.candidateId === id)!))
                    .join(', ')}
                </li>
              ))}
            </ul>
            <SwapMember key={answer.team.members.map((m) => m.candidateId).join()} team={answer.team} answer={answer} />
          </>
        )}
        <p className="hint">
          Considered {answer.pool.considered} candidate(s); left out: {answer.pool.skipped.unavailable ?? 0} not
          available by the start, {answer.pool.skipped.noDayRate ?? 0} without a day rate,{' '}
          {answer.pool.skipped.excluded ?? 0} excluded.
        </p>
      </Panel>
      {answer.runnersUp.length > 0 && (
        <Panel title="Runners-up">
          {answer.runnersUp.map((team, i) => (
            <TeamTable
              key={team.members.map((m) => m.candidateId).join()}
              team={team}
              answer={answer}
              caption={`Runner-up ${i + 1}: ${team.size} member(s), day rates ${money(team.totalDayRate)}, score ${team.totalScore}`}
            />
          ))}
        </Panel>
      )}
    </>
  );
}

/** The team builder of a project: pick the pool, see the optimal team and the runners-up, swap a member. */
export function TeamBuilderPage() {
  const { orgId, jobId } = useParams() as { orgId: string; jobId: string };
  const job = useQuery({
    queryKey: ['job', orgId, jobId],
    queryFn: () => api<{ job: { title: string; kind: string } }>('GET', `/api/orgs/${orgId}/jobs/${jobId}`),
  });
  const [pool, setPool] = useState<Pool>('ranked');
  const [maxSize, setMaxSize] = useState('');
  const [budget, setBudget] = useState('');
  const staff = useMutation({
    mutationFn: () =>
      api<TeamAnswer>('POST', `/api/orgs/${orgId}/jobs/${jobId}/team`, {
        candidatePool: pool,
        ...(maxSize ? { maxSize: Number(maxSize) } : {}),
        ...(budget ? { budget: Number(budget) } : {}),
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    staff.mutate();
  };
  if (job.isPending) return <Loading />;
  if (job.error) return <ErrorMessage error={job.error} />;
  return (
    <>
      <h1>Team builder: {job.data.job.title}</h1>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Candidate pool</legend>
          {poolLabels.map(([value, text]) => (
            <label key={value} className="radio">
              <input type="radio" name="pool" value={value} checked={pool === value} onChange={() => setPool(value)} />{' '}
              {text}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="team-max-size">Largest team (optional)</label>
          <input
            id="team-max-size"
            type="number"
            min={1}
            max={100}
            value={maxSize}
            onChange={(e) => setMaxSize(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="team-budget">Budget: day rates add up to at most (optional)</label>
          <input id="team-budget" type="number" min={0} value={budget} onChange={(e) => setBudget(e.target.value)} />
        </div>
        <button type="submit" disabled={staff.isPending}>
          {staff.isPending ? 'Finding the best team…' : 'Find the best team'}
        </button>
      </form>
      {staff.error && <ErrorMessage error={staff.error} />}
      {staff.data && <Answer answer={staff.data} />}
    </>
  );
}
