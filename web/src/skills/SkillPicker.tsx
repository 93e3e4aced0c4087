import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../platform/api';
import type { Skill, SkillAlignment } from '../platform/types';

/** Aligned skills: search the skills API, add results, remove chosen ones. */
export function SkillPicker({
  value,
  onChange,
  legend = 'Aligned skills',
  empty = 'No skill aligned yet.',
}: {
  value: SkillAlignment[];
  onChange(skills: SkillAlignment[]): void;
  legend?: string;
  empty?: string;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const term = query.trim();
  const results = useQuery({
    queryKey: ['skills', term],
    queryFn: () => api<{ skills: Skill[] }>('GET', `/api/skills?q=${encodeURIComponent(term)}&limit=8`),
    enabled: term.length >= 2,
  });
  const chosen = new Set(value.map((s) => s.code));
  return (
    <fieldset className="skill-picker">
      <legend>{legend}</legend>
      {value.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul className="chips" aria-label="Chosen skills">
          {value.map((skill) => (
            <li key={skill.code}>
              {skill.name} <span className="muted">· {skill.framework}</span>
              <button
                type="button"
                className="link"
                onClick={() => onChange(value.filter((s) => s.code !== skill.code))}
              >
                <span aria-hidden="true">×</span>
                <span className="visually-hidden">Remove {skill.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={id}>Search skills</label>
        <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {term.length >= 2 && (
        <ul className="skill-results" aria-label="Matching skills" aria-busy={results.isFetching}>
          {(results.data?.skills ?? []).map((skill) => (
            <li key={skill.id}>
              <span>
                {skill.name} <span className="muted">· {skill.framework}</span>
              </span>
              <button
                type="button"
                className="secondary"
                disabled={chosen.has(skill.code)}
                onClick={() =>
                  onChange([
                    ...value,
                    { code: skill.code, name: skill.name, framework: skill.framework, url: skill.url },
                  ])
                }
              >
                {chosen.has(skill.code) ? 'Added' : 'Add'}
                <span className="visually-hidden">
                  {' '}
                  {skill.name} ({skill.framework})
                </span>
              </button>
            </li>
          ))}
          {results.data?.skills.length === 0 && <li className="muted">No skill matches.</li>}
        </ul>
      )}
    </fieldset>
  );
}
