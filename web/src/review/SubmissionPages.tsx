import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Panel, fieldErrors } from '../platform/components';
import { statusLabels, SubmittedWork, type Submission } from './ReviewPages';
import { fetchPublishedRubric, publishedRubricKey, RubricSummary } from './ReviewPanel';
import './review.css';

const maxFiles = 5;
const maxFileBytes = 5 * 1024 * 1024;

/** The file's bytes as base64, for the JSON body. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function SubmissionHistory({ submissions }: { submissions: Submission[] }) {
  if (submissions.length === 0) return <p className="empty">Nothing submitted yet.</p>;
  return (
    <ol className="stack">
      {submissions.map((s) => (
        <li key={s.id}>
          <p>
            <span className={`badge ${s.status}`}>{statusLabels[s.status]}</span> sent{' '}
            {new Date(s.submittedAt).toLocaleString()}
            {s.score && ` · ${s.score.points} of ${s.score.maxPoints} points`}
          </p>
          {s.feedback && (
            <>
              <h3>Feedback from the assessor</h3>
              <p className="work-text">{s.feedback}</p>
            </>
          )}
          {s.credentialId && <p>Your credential was issued: it is in your credentials.</p>}
          <details>
            <summary>What you sent</summary>
            <SubmittedWork submission={s} />
          </details>
        </li>
      ))}
    </ol>
  );
}

/** Every submission of the learner, newest first, with feedback. */
export function MySubmissionsPage() {
  const mine = useQuery({
    queryKey: ['me', 'submissions'],
    queryFn: () => api<{ submissions: Submission[] }>('GET', '/api/me/submissions').then((r) => r.submissions),
  });
  return (
    <div className="stack">
      <h1>My submissions</h1>
      <ErrorMessage error={mine.error} />
      {mine.data && <SubmissionHistory submissions={mine.data} />}
      {mine.data?.some((s) => s.status === 'returned') && (
        <ul>
          {[...new Set(mine.data.filter((s) => s.status === 'returned').map((s) => s.achievementId))].map((id) => (
            <li key={id}>
              <Link to={`/achievements/${id}/submit`}>Improve and resubmit</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Submit work for a micro-credential assessed by review; shows the rubric and earlier feedback. */
export function SubmitWorkPage() {
  const { achievementId } = useParams();
  const queryClient = useQueryClient();
  const ids = { narrative: useId(), links: useId(), files: useId() };
  const [narrative, setNarrative] = useState('');
  const [links, setLinks] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [localError, setLocalError] = useState<string | null>(null);
  const about = useQuery({
    queryKey: publishedRubricKey(achievementId ?? ''),
    queryFn: () => fetchPublishedRubric(achievementId ?? ''),
  });
  const history = useQuery({
    queryKey: ['me', 'submissions', achievementId],
    queryFn: () =>
      api<{ submissions: Submission[] }>('GET', `/api/me/submissions?achievementId=${achievementId}`).then(
        (r) => r.submissions,
      ),
  });
  const send = useMutation({
    mutationFn: async () =>
      api<Submission>('POST', `/api/achievements/${achievementId}/submissions`, {
        narrative,
        links: links
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
        files: await Promise.all(files.map(async (f) => ({ name: f.name, content: await base64Of(f) }))),
      }),
    onSuccess: async () => {
      setNarrative('');
      setLinks('');
      setFiles([]);
      await queryClient.invalidateQueries({ queryKey: ['me', 'submissions'] });
    },
  });
  const errors = fieldErrors(send.error);
  const open = history.data?.some((s) => s.status === 'open');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLocalError(null);
    if (files.length > maxFiles) return setLocalError(`Choose at most ${maxFiles} files.`);
    const big = files.find((f) => f.size > maxFileBytes);
    if (big) return setLocalError(`${big.name} is larger than 5 MB.`);
    send.mutate();
  }

  return (
    <div className="stack">
      <h1>{about.data ? `Submit work: ${about.data.title}` : 'Submit work'}</h1>
      <ErrorMessage error={about.error} />
      {about.data && (
        <p>
          <Link to={`/catalog/${achievementId}`}>About this micro-credential</Link>
        </p>
      )}
      {about.data && !about.data.rubric && (
        <p className="notice warn">
          This micro-credential is not assessed by review: its issuer awards it directly, so there is no work to submit
          here.
        </p>
      )}
      {about.data?.rubric && (
        <Panel title="How it is assessed">
          {about.data.criteria && <p>{about.data.criteria}</p>}
          <RubricSummary rubric={about.data.rubric} />
        </Panel>
      )}
      <Panel title="Your submissions">
        <ErrorMessage error={history.error} />
        {history.data && <SubmissionHistory submissions={history.data} />}
      </Panel>
      {!about.data?.rubric ? null : open ? (
        <p>Your work is waiting for an assessor. You can send more once it has been reviewed.</p>
      ) : (
        <Panel title="Send your work">
          <form onSubmit={submit} noValidate className="stack">
            <div className="field">
              <label htmlFor={ids.narrative}>Describe your work</label>
              <textarea
                id={ids.narrative}
                value={narrative}
                maxLength={20000}
                onChange={(e) => setNarrative(e.target.value)}
                aria-invalid={errors.narrative ? true : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.links}>Links (https, one per line)</label>
              <textarea id={ids.links} value={links} onChange={(e) => setLinks(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.files}>Files (up to 5 of 5 MB: PDF, PNG, JPEG or plain text)</label>
              <input
                id={ids.files}
                type="file"
                multiple
                accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
                onChange={(e) => setFiles([...(e.target.files ?? [])])}
              />
            </div>
            {localError && (
              <p className="alert" role="alert">
                {localError}
              </p>
            )}
            <ErrorMessage error={send.error} />
            {send.isSuccess && <p role="status">Sent. An assessor will review it.</p>}
            <button type="submit" disabled={send.isPending}>
              Submit for review
            </button>
          </form>
        </Panel>
      )}
    </div>
  );
}
