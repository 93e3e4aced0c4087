import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSession } from '../accounts/session';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';
import { statusLabels, type Rubric, type Submission } from './ReviewPages';
import './review.css';

export interface PublishedRubric {
  achievementId: string;
  title: string;
  assessmentType: string;
  criteria: string | null;
  rubric: Rubric | null;
}

export const publishedRubricKey = (achievementId: string) => ['achievements', achievementId, 'rubric'];

export const fetchPublishedRubric = (achievementId: string) =>
  api<PublishedRubric>('GET', `/api/achievements/${achievementId}/rubric`);

/** What assessors score, criterion by criterion, and the points needed. */
export function RubricSummary({ rubric }: { rubric: Rubric }) {
  return (
    <>
      <ul className="rubric-summary">
        {rubric.criteria.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong>
            {c.description && <p className="hint">{c.description}</p>}
            <ul>
              {c.levels.map((l) => (
                <li key={l.points}>
                  {l.name}: {l.points} {l.points === 1 ? 'point' : 'points'}
                  {l.description && ` (${l.description})`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p>{rubric.passPoints} points are needed to pass.</p>
    </>
  );
}

/**
 * On a catalog page of a micro-credential assessed by review: how it is assessed and the way to submit work
 * (or, signed in, the state of one's own submission). Nothing when its issuer set no rubric.
 */
export function ReviewPanel({ achievementId }: { achievementId: string }) {
  const { session } = useSession();
  const about = useQuery({
    queryKey: publishedRubricKey(achievementId),
    queryFn: () => fetchPublishedRubric(achievementId),
  });
  const mine = useQuery({
    queryKey: ['me', 'submissions', achievementId],
    enabled: Boolean(session && about.data?.rubric),
    queryFn: () =>
      api<{ submissions: Submission[] }>('GET', `/api/me/submissions?achievementId=${achievementId}`).then(
        (r) => r.submissions,
      ),
  });
  if (about.isPending) return <Loading />;
  if (!about.data) return <ErrorMessage error={about.error} />;
  const { rubric } = about.data;
  if (!rubric)
    return (
      <Panel title="How to earn it">
        <p>Its issuer awards it directly, after assessing you in their own course or exam.</p>
      </Panel>
    );
  const latest = mine.data?.[0];
  const submitPath = `/achievements/${achievementId}/submit`;
  return (
    <Panel title="Assessed by review">
      <p>Submit your work; an assessor of the issuer scores it with this rubric.</p>
      <RubricSummary rubric={rubric} />
      {!session ? (
        <p>
          <Link className="button" to="/sign-in">
            Sign in to submit your work
          </Link>
        </p>
      ) : latest ? (
        <div className="notice" role="status">
          <p>
            Your latest submission: {statusLabels[latest.status]}.
            {latest.status === 'accepted' && latest.credentialId && ' Your credential is in your wallet.'}
          </p>
          <p>
            <Link className="button" to={submitPath}>
              {latest.status === 'returned' ? 'Improve and resubmit your work' : 'See your submissions'}
            </Link>
          </p>
        </div>
      ) : (
        <p>
          <Link className="button" to={submitPath}>
            Submit your work
          </Link>
        </p>
      )}
      <ErrorMessage error={mine.error} />
    </Panel>
  );
}
