import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../platform/api';
import type { Skill } from '../platform/types';

/** Pick a skill by name; the search sends its code. */
export function SkillFilter({ code, name }: { code: string; name: string }) {
  const id = useId();
  const [text, setText] = useState(name);
  const term = text.trim();
  const matches = useQuery({
    queryKey: ['skills', term],
    queryFn: () => api<{ skills: Skill[] }>('GET', `/api/skills?q=${encodeURIComponent(term)}&limit=20`),
    enabled: term.length >= 2 && term !== name,
  });
  // The skill whose name was typed or chosen from the list (or the one the search was made with).
  const match = matches.data?.skills.find((s) => s.name.toLowerCase() === term.toLowerCase());
  const picked = match
    ? { code: match.code, name: match.name }
    : term === name
      ? { code, name }
      : { code: '', name: '' };
  return (
    <div className="field">
      <label htmlFor={id}>Skill</label>
      <input
        id={id}
        list={`${id}-list`}
        value={text}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        onChange={(e) => setText(e.target.value)}
      />
      <datalist id={`${id}-list`}>
        {(matches.data?.skills ?? []).map((s) => (
          <option key={s.id} value={s.name}>
            {s.framework}
          </option>
        ))}
      </datalist>
      <p className="hint" id={`${id}-hint`}>
        {picked.code ? `Skill: ${picked.name}` : term ? 'Choose a skill from the list.' : 'Any skill.'}
      </p>
      <input type="hidden" name="skill" value={picked.code} />
      <input type="hidden" name="skillName" value={picked.name} />
    </div>
  );
}
