import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Panel } from '../platform/components';
import { useSession } from '../accounts/session';
import './review.css';

/** The shapes of the review routes' answers (src/review/routes.ts). */
export interface RubricLevel {
  name: string;
  points: number;
  description?: string;
}
export interface Rubric {
  criteria: { id: string; name: string; description?: string; levels: RubricLevel[] }[];
  passPoints: number;
}
export interface Submission {
  id: string;
  achievementId: string;
  status: 'open' | 'returned' | 'accepted';
  narrative: string;
  links: string[];
  files: { id: string; name: string; mediaType: string; size: number; url: string }[];
  submittedAt: string;
  reviewedAt: string | null;
  feedback: string | null;
  score: { points: number; maxPoints: number; percent: number; passed: boolean } | null;
  credentialId: string | null;
}
interface QueueEntry {
  id: string;
  achievementId: string;
  achievementTitle: string;
  learnerName: string;
  learnerEmail: string;
  submittedAt: string;
}
interface ReviewDetail {
  submission: Submission & { userId: string };
  rubric: Rubric;
  history: Submission[];
  attempts: { attemptId: string; startedAt: string; passed: boolean | null; signals: { type: string; at: string }[] }[];
}

export const statusLabels: Record<Submission['status'], string> = {
  open: 'Waiting for review',
  returned: 'Returned with feedback',
  accepted: 'Accepted',
};

const when = (iso: string) => new Date(iso).toLocaleString();
const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The work as sent: text as text (never HTML), https links, and files to download. */
export function SubmittedWork({ submission }: { submission: Submission }) {
  return (
    <div className="stack">
      {submission.narrative && <p className="work-text">{submission.narrative}</p>}
      {submission.links.length > 0 && (
        <ul aria-label="Links">
          {submission.links.map((link) => (
            <li key={link}>
              <a href={link} rel="noopener noreferrer nofollow" target="_blank">
                {link}
              </a>
            </li>
          ))}
        </ul>
      )}
      {submission.files.length > 0 && (
        <ul aria-label="Files">
          {submission.files.map((file) => (
            <li key={file.id}>
              <a href={file.url} download={file.name}>
                {file.name}
              </a>{' '}
              ({file.mediaType}, {kb(file.size)})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ReviewQueuePage() {
  const { currentOrg } = useSession();
  const orgId = currentOrg?.org.id;
  const queue = useQuery({
    queryKey: ['orgs', orgId, 'reviews'],
    enabled: Boolean(orgId),
    queryFn: () => api<{ submissions: QueueEntry[] }>('GET', `/api/orgs/${orgId}/reviews`).then((r) => r.submissions),
  });
  if (!currentOrg) return <p>Choose an organization in the header to review its submissions.</p>;
  return (
    <div className="stack">
      <h1>Review queue</h1>
      <p className="lede">Open submissions to {currentOrg.org.name}, oldest first.</p>
      <ErrorMessage error={queue.error} />
      {queue.isLoading && <p aria-busy="true">Loading…</p>}
      {queue.data && queue.data.length === 0 && <p className="empty">Nothing waits for review.</p>}
      {queue.data && queue.data.length > 0 && (
        <table>
          <caption className="visually-hidden">Submissions waiting for review</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Micro-credential</th>
              <th scope="col">Submitted</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.data.map((entry) => (
              <tr key={entry.id}>
                <td>
                  {entry.learnerName} <span className="hint">({entry.learnerEmail})</span>
                </td>
                <td>{entry.achievementTitle}</td>
                <td>{when(entry.submittedAt)}</td>
                <td>
                  <Link to={`/reviews/${entry.id}`} aria-label={`Review the submission of ${entry.learnerName}`}>
                    Review
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function ReviewPage() {
  const { submissionId } = useParams();
  const { currentOrg } = useSession();
  const orgId = currentOrg?.org.id;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const feedbackId = useId();
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [feedback, setFeedback] = useState('');
  const detail = useQuery({
    queryKey: ['orgs', orgId, 'submissions', submissionId],
    enabled: Boolean(orgId && submissionId),
    queryFn: () => api<ReviewDetail>('GET', `/api/orgs/${orgId}/submissions/${submissionId}`),
  });
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'return') => {
      const scores = Object.entries(chosen).map(([criterionId, points]) => ({ criterionId, points }));
      return api<Submission>(
        'POST',
        `/api/orgs/${orgId}/submissions/${submissionId}/${decision}`,
        decision === 'accept' ? { scores } : { feedback, ...(scores.length ? { scores } : {}) },
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId] });
      navigate('/reviews', { replace: true });
    },
  });
  if (!currentOrg) return <p>Choose an organization in the header.</p>;
  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <p aria-busy="true">Loading…</p>;
  const { submission, rubric, history, attempts } = detail.data;
  const points = Object.values(chosen).reduce((sum, p) => sum + p, 0);
  const signals = attempts.flatMap((a) => a.signals);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const action = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    decide.mutate(action === 'return' ? 'return' : 'accept');
  }

  return (
    <div className="stack">
      <h1>Review a submission</h1>
      <p>
        <Link to="/reviews">Back to the review queue</Link>
      </p>
      <Panel title="The work">
        <p>Submitted {when(submission.submittedAt)}</p>
        <SubmittedWork submission={submission} />
      </Panel>
      {attempts.length > 0 && (
        <Panel title="Skill-test attempts">
          <p className="hint">Integrity signals are for you to weigh; they never fail anyone on their own.</p>
          <ul>
            {attempts.map((a) => (
              <li key={a.attemptId}>
                {when(a.startedAt)}: {a.passed === null ? 'unfinished' : a.passed ? 'passed' : 'not passed'},{' '}
                {a.signals.length} integrity signal{a.signals.length === 1 ? '' : 's'}
                {a.signals.length > 0 && ` (${[...new Set(a.signals.map((s) => s.type))].join(', ')})`}
              </li>
            ))}
          </ul>
          {signals.length === 0 && <p>No integrity signals were recorded.</p>}
        </Panel>
      )}
      {history.length > 0 && (
        <Panel title="Earlier submissions">
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                {when(h.submittedAt)}: {statusLabels[h.status]}
                {h.feedback && <p className="work-text">{h.feedback}</p>}
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <Panel title="Score with the rubric">
        <form onSubmit={submit} noValidate>
          {rubric.criteria.map((criterion) => (
            <fieldset key={criterion.id} className="rubric-criterion">
              <legend>{criterion.name}</legend>
              {criterion.description && <p className="hint">{criterion.description}</p>}
              {criterion.levels.map((level) => (
                <label key={level.points}>
                  <input
                    type="radio"
                    name={`criterion-${criterion.id}`}
                    value={level.points}
                    checked={chosen[criterion.id] === level.points}
                    onChange={() => setChosen({ ...chosen, [criterion.id]: level.points })}
                  />{' '}
                  {level.name} ({level.points} points){level.description ? `: ${level.description}` : ''}
                </label>
              ))}
            </fieldset>
          ))}
          <p aria-live="polite">
            Score: {points} points; {rubric.passPoints} needed to accept.
          </p>
          <div className="field">
            <label htmlFor={feedbackId}>Feedback for the learner</label>
            <textarea
              id={feedbackId}
              value={feedback}
              maxLength={10000}
              onChange={(e) => setFeedback(e.target.value)}
            />
          </div>
          <ErrorMessage error={decide.error} />
          <div className="actions">
            <button type="submit" name="decision" value="accept" disabled={decide.isPending}>
              Accept and issue the credential
            </button>
            <button type="submit" name="decision" value="return" className="secondary" disabled={decide.isPending}>
              Return with feedback
            </button>
          </div>
        </form>
      </Panel>
    </div>
  );
}
