import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';
import type { PublishedVersion, SkillAlignment } from '../platform/types';
import { SkillPicker } from '../skills/SkillPicker';
import type { AdviceAnswer } from '../../../src/advice/plan.js';
import { AnswerView, RolesTable, type OccupationHit, type Role } from './AdvicePage';

interface HeldCredential {
  achievementId: string;
  title: string;
  issuer: string;
}

/** Published micro-credentials the visitor holds: search the catalog, add, remove. */
function CredentialPicker({ value, onChange }: { value: HeldCredential[]; onChange(list: HeldCredential[]): void }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const term = query.trim();
  const results = useQuery({
    queryKey: ['what-if-catalog', term],
    queryFn: () =>
      api<{ achievements: PublishedVersion[] }>('GET', `/api/catalog?q=${encodeURIComponent(term)}&limit=8`),
    enabled: term.length >= 2,
  });
  const chosen = new Set(value.map((c) => c.achievementId));
  return (
    <fieldset className="skill-picker">
      <legend>Micro-credentials you hold</legend>
      {value.length === 0 ? (
        <p className="hint">None added: the skills a micro-credential teaches count once you add it.</p>
      ) : (
        <ul className="chips" aria-label="Chosen micro-credentials">
          {value.map((c) => (
            <li key={c.achievementId}>
              {c.title} <span className="muted">· {c.issuer}</span>
              <button
                type="button"
                className="link"
                onClick={() => onChange(value.filter((x) => x.achievementId !== c.achievementId))}
              >
                <span aria-hidden="true">×</span>
                <span className="visually-hidden">Remove {c.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={id}>Search micro-credentials</label>
        <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {term.length >= 2 && (
        <ul className="skill-results" aria-label="Matching micro-credentials" aria-busy={results.isFetching}>
          {(results.data?.achievements ?? []).map((a) => (
            <li key={a.achievementId}>
              <span>
                {a.definition.title} <span className="muted">· {a.issuer.name}</span>
              </span>
              <button
                type="button"
                className="secondary"
                disabled={chosen.has(a.achievementId)}
                onClick={() =>
                  onChange([
                    ...value,
                    { achievementId: a.achievementId, title: a.definition.title, issuer: a.issuer.name },
                  ])
                }
              >
                {chosen.has(a.achievementId) ? 'Added' : 'Add'}
                <span className="visually-hidden"> {a.definition.title}</span>
              </button>
            </li>
          ))}
          {results.data?.achievements.length === 0 && <li className="muted">No micro-credential matches.</li>}
        </ul>
      )}
    </fieldset>
  );
}

/**
 * What-if advice for anyone, no account needed: the visitor lists skills and published micro-credentials they
 * hold, picks a target role and sees the least-hours plan (and the roles closest to what they listed). The
 * choices live in this page's memory only: nothing is sent but the question, and the server stores nothing.
 */
export function WhatIfPage() {
  const searchId = useId();
  const hoursId = useId();
  const [skills, setSkills] = useState<SkillAlignment[]>([]);
  const [credentials, setCredentials] = useState<HeldCredential[]>([]);
  const [query, setQuery] = useState('');
  const [maxHours, setMaxHours] = useState('');
  const [onlineOnly, setOnlineOnly] = useState(false);
  const term = query.trim();
  const held = { held: skills.map((s) => s.code), heldCredentials: credentials.map((c) => c.achievementId) };
  const nothingHeld = skills.length === 0 && credentials.length === 0;
  const occupations = useQuery({
    queryKey: ['occupations', term],
    queryFn: () =>
      api<{ occupations: OccupationHit[] }>('GET', `/api/occupations?q=${encodeURIComponent(term)}&limit=8`),
    enabled: term.length >= 2,
  });
  const plan = useMutation({
    mutationFn: (occupation: string) =>
      api<AdviceAnswer>('POST', '/api/advice/plan', {
        target: { occupation },
        ...held,
        filters: {
          ...(Number(maxHours) > 0 ? { maxHours: Number(maxHours) } : {}),
          ...(onlineOnly ? { onlineOnly: true } : {}),
        },
      }),
  });
  const roles = useMutation({
    mutationFn: () => api<{ roles: Role[] }>('POST', '/api/advice/occupations', { ...held, limit: 10 }),
  });

  return (
    <main className="page">
      <h1>What would it take?</h1>
      <p className="hint">
        No account needed. List the skills and micro-credentials you have, choose a role, and see the fewest hours of
        micro-credentials on offer here that close the gap. Nothing you enter is stored or verified.
      </p>
      <Panel title="What you have">
        <SkillPicker value={skills} onChange={setSkills} legend="Skills you have" empty="No skill added yet." />
        <CredentialPicker value={credentials} onChange={setCredentials} />
        <button type="button" className="secondary" disabled={nothingHeld} onClick={() => roles.mutate()}>
          Show roles within reach
        </button>
      </Panel>
      {roles.isPending && <Loading />}
      {roles.error && <ErrorMessage error={roles.error} />}
      {roles.data && (
        <Panel title="Roles within reach">
          {roles.data.roles.length === 0 ? (
            <p>No occupation uses these skills yet.</p>
          ) : (
            <RolesTable
              roles={roles.data.roles}
              caption="Occupations closest to what you listed"
              onPlan={(o) => plan.mutate(o)}
            />
          )}
        </Panel>
      )}
      <Panel title="Choose a target role">
        <form onSubmit={(e: FormEvent) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={searchId}>Search occupations</label>
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
        {term.length >= 2 && (
          <ul aria-label="Matching occupations" aria-busy={occupations.isFetching}>
            {(occupations.data?.occupations ?? []).map((o) => (
              <li key={o.id}>
                {o.name} <span className="muted">· {o.framework}</span>{' '}
                <button type="button" className="secondary" onClick={() => plan.mutate(o.url || o.code)}>
                  Plan for {o.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      {plan.isPending && <Loading />}
      {plan.error && <ErrorMessage error={plan.error} />}
      {plan.data && <AnswerView answer={plan.data} whatIf />}
    </main>
  );
}
