import { formatDate } from '../platform/components';
import { isWebLink, type HoldingDetail } from './wallet-api';

/** Fact rows: a term and its value, left out when there is no value. */
function Fact({ term, value }: { term: string; value: string | number | null }) {
  if (value === null || value === '') return null;
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** What the credential says it is for: dates, workload, level, outcomes, criteria, skills and alignments. */
export function AchievementSection({
  achievement,
  holding,
}: {
  achievement: HoldingDetail['achievement'];
  holding: HoldingDetail['holding'];
}) {
  return (
    <section className="panel" aria-labelledby="achievement-heading">
      <h2 id="achievement-heading">About this achievement</h2>
      {achievement.description && <p>{achievement.description}</p>}
      <dl className="facts">
        <Fact term="Issued" value={formatDate(holding.issuedAt)} />
        <Fact term="Valid until" value={holding.validUntil ? formatDate(holding.validUntil) : 'No expiry'} />
        {holding.facts.map((fact) => (
          <Fact key={fact.label} term={fact.label} value={fact.value} />
        ))}
      </dl>
      {achievement.learningOutcomes.length > 0 && (
        <>
          <h3>Learning outcomes</h3>
          <ul>
            {achievement.learningOutcomes.map((outcome) => (
              <li key={outcome}>{outcome}</li>
            ))}
          </ul>
        </>
      )}
      {achievement.criteria && (
        <>
          <h3>How it is earned</h3>
          <p>{achievement.criteria}</p>
        </>
      )}
      {achievement.skills.length > 0 && (
        <>
          <h3>Skills</h3>
          <ul className="skills">
            {achievement.skills.map((skill) => (
              <li key={`${skill.code ?? ''}-${skill.name}`}>
                {isWebLink(skill.url) ? <a href={skill.url}>{skill.name}</a> : skill.name}
                {skill.framework && <span className="muted"> · {skill.framework}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {achievement.alignments.length > 0 && (
        <>
          <h3>Aligned to</h3>
          <ul>
            {achievement.alignments.map((a) => (
              <li key={`${a.type}-${a.name}`}>
                {isWebLink(a.url) ? <a href={a.url}>{a.name}</a> : a.name}
                {a.framework && <span className="muted"> · {a.framework}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
