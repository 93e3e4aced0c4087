import { points, termLabels, type JobSkill, type Term } from './hiring-api';

/** Every term of a score: its points and why, in the order the score adds them; the total is their sum. */
export function TermsTable({ terms, score, caption }: { terms: Term[]; score: number; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="terms">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Points</th>
            <th scope="col">For</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {terms.map((t, i) => (
            <tr key={i} className={t.points === 0 ? 'zero' : undefined}>
              <td className="points">{points(t.points)}</td>
              <td>{termLabels[t.kind]}</td>
              <td>{t.note}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td className="points">{score}</td>
            <td colSpan={2}>Score: the sum of the points above</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The job's skills, each marked as proven by this candidate's verified evidence or not. */
export function SkillCoverage({ skills, proven, label }: { skills: JobSkill[]; proven: Set<string>; label: string }) {
  return (
    <ul className="chips coverage" aria-label={label}>
      {skills.map((s) => (
        <li key={s.skill} className={proven.has(s.skill) ? 'proven' : 'missing'}>
          <span aria-hidden="true">{proven.has(s.skill) ? '✓ ' : '✗ '}</span>
          {s.label}
          <span className="visually-hidden">{proven.has(s.skill) ? ': proven' : ': not proven'}</span>
          {s.required && <span className="muted"> (required)</span>}
        </li>
      ))}
    </ul>
  );
}
