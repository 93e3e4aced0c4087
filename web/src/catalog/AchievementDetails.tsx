import { formatDate } from '../platform/components';
import type { IssuerProfileDetails, MicroCredentialDefinition } from '../platform/types';
import { assessmentLabels, participationLabels, qaLabels } from './DefinitionForm';

const label = (pairs: readonly (readonly [string, string])[], value: string) =>
  pairs.find(([v]) => v === value)?.[1] ?? value;

const units = { Y: 'year', M: 'month', W: 'week', D: 'day' } as const;
/** P2Y6M → "2 years 6 months". */
export function durationText(iso: string | undefined): string {
  if (!iso) return 'Does not expire';
  const parts = [...iso.matchAll(/(\d+)([YMWD])/g)].map(([, n, u]) => {
    const unit = units[u as keyof typeof units];
    return `${n} ${unit}${n === '1' ? '' : 's'}`;
  });
  return parts.join(' ') || iso;
}

/** A micro-credential as learners see it (the catalog page and the issuer's preview use the same view). */
export function AchievementDetails({
  definition: d,
  issuerName,
  issuer,
}: {
  definition: MicroCredentialDefinition;
  issuerName: string;
  issuer?: IssuerProfileDetails | undefined;
}) {
  const qa = issuer?.qualityAssurance;
  return (
    <article className="achievement">
      <header className="achievement-head">
        {d.image && <img src={d.image} alt="" width={72} height={72} />}
        <div>
          <h2>{d.title || 'Untitled micro-credential'}</h2>
          <p className="muted">
            {d.humanCode && (
              <>
                Code <span className="code">{d.humanCode}</span> ·{' '}
              </>
            )}
            Awarded by {issuerName}
            {issuer?.country ? ` · ${issuer.country}` : ''}
          </p>
        </div>
      </header>
      {d.description && <p>{d.description}</p>}
      <dl className="facts">
        <div>
          <dt>Workload</dt>
          <dd>
            {d.workloadHours} hours{d.ectsCredits ? ` · ${d.ectsCredits} ECTS` : ''}
          </dd>
        </div>
        <div>
          <dt>Level</dt>
          <dd>{[d.eqfLevel ? `EQF ${d.eqfLevel}` : '', d.nqfLevel ?? ''].filter(Boolean).join(' · ') || '—'}</dd>
        </div>
        <div>
          <dt>Assessment</dt>
          <dd>{label(assessmentLabels, d.assessmentType)}</dd>
        </div>
        <div>
          <dt>Participation</dt>
          <dd>{label(participationLabels, d.participationForm)}</dd>
        </div>
        <div>
          <dt>Quality assurance</dt>
          <dd>{label(qaLabels, d.qualityAssurance)}</dd>
        </div>
        <div>
          <dt>Valid for</dt>
          <dd>{durationText(d.validity)}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{d.language}</dd>
        </div>
      </dl>
      <h3>Learning outcomes</h3>
      {d.learningOutcomes.length ? (
        <ul>
          {d.learningOutcomes.map((outcome, i) => (
            <li key={i}>{outcome}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">None listed.</p>
      )}
      <h3>Skills</h3>
      {d.skills.length ? (
        <ul className="chips">
          {d.skills.map((s) => (
            <li key={s.code}>
              <a href={s.url} rel="noreferrer">
                {s.name}
              </a>{' '}
              <span className="muted">· {s.framework}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None aligned.</p>
      )}
      <h3>Prerequisites</h3>
      {d.prerequisites.length ? (
        <ul>
          {d.prerequisites.map((p) => (
            <li key={p}>
              <a href={p} rel="noreferrer">
                {p}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None.</p>
      )}
      <h3>How to earn it</h3>
      <p>{d.criteria || '—'}</p>
      {d.stackability && (
        <>
          <h3>Stacks into</h3>
          <p>{d.stackability}</p>
        </>
      )}
      {qa && (
        <>
          <h3>Quality assurance of the issuer</h3>
          <dl className="facts">
            <div>
              <dt>Accrediting body</dt>
              <dd>{qa.accreditingBody}</dd>
            </div>
            {qa.accreditationId && (
              <div>
                <dt>Accreditation</dt>
                <dd>{qa.accreditationId}</dd>
              </div>
            )}
            {qa.framework && (
              <div>
                <dt>Framework</dt>
                <dd>{qa.framework}</dd>
              </div>
            )}
            {qa.validUntil && (
              <div>
                <dt>Accredited until</dt>
                <dd>{formatDate(qa.validUntil)}</dd>
              </div>
            )}
          </dl>
        </>
      )}
      {d.tags.length > 0 && <p className="muted">Tags: {d.tags.join(', ')}</p>}
    </article>
  );
}
