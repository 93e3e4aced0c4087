import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';
import type { Attempt } from '../platform/types';
import { ItemView } from './ItemView';
import { ResultView } from './ResultView';

const attemptKey = (id: string) => ['attempts', id];

/** Taking a skill test: one question at a time, a navigator, the server's deadline, answers saved as given. */
export function TestPage() {
  const { attemptId = '' } = useParams();
  const attempt = useQuery({
    queryKey: attemptKey(attemptId),
    queryFn: () => api<Attempt>('GET', `/api/attempts/${attemptId}`),
    refetchOnWindowFocus: false,
  });
  if (attempt.isPending) return <Loading />;
  if (!attempt.data) return <ErrorMessage error={attempt.error} />;
  if (attempt.data.finished) return <ResultView attempt={attempt.data} />;
  return <TestForm attempt={attempt.data} />;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Integrity signals, as the API expects them: shown to assessors, never failing anyone. */
function useIntegritySignals(attemptId: string) {
  useEffect(() => {
    const send = (type: 'focus-lost' | 'paste') =>
      void api('POST', `/api/attempts/${attemptId}/events`, { type }).catch(() => undefined);
    const onBlur = () => send('focus-lost');
    const onVisibility = () => document.visibilityState === 'hidden' && send('focus-lost');
    const onPaste = () => send('paste');
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('paste', onPaste);
    };
  }, [attemptId]);
}

/** Seconds left, counted down from the server's figure (the browser's clock is never trusted for the end). */
function useCountdown(secondsLeft: number): number {
  const [endsAt] = useState(() => Date.now() + secondsLeft * 1000);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.round((endsAt - now) / 1000));
}

function TestForm({ attempt }: { attempt: Attempt }) {
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(attempt.items.map((i) => [i.id, i.chosen ?? []])),
  );
  const [current, setCurrent] = useState(() =>
    Math.max(
      0,
      attempt.items.findIndex((i) => !i.chosen?.length),
    ),
  );
  const [confirming, setConfirming] = useState(false);
  const left = useCountdown(attempt.secondsLeft);
  const questionRef = useRef<HTMLDivElement>(null);
  useIntegritySignals(attempt.id);

  const save = useMutation({
    mutationFn: ({ itemId, chosen }: { itemId: string; chosen: string[] }) =>
      api<Attempt>('PUT', `/api/attempts/${attempt.id}/answers/${itemId}`, { chosen }),
  });
  const submit = useMutation({
    mutationFn: () => api<Attempt>('POST', `/api/attempts/${attempt.id}/submit`),
    onSuccess: (result) => {
      queryClient.setQueryData(attemptKey(attempt.id), result);
      void queryClient.invalidateQueries({ queryKey: ['tests', attempt.achievementId] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const { mutate: submitNow, isIdle } = submit;
  useEffect(() => {
    if (left === 0 && isIdle) submitNow();
  }, [left, isIdle, submitNow]);

  const item = attempt.items[current]!;
  const answered = attempt.items.filter((i) => answers[i.id]?.length).length;
  const go = (index: number) => {
    setCurrent(index);
    setConfirming(false);
    questionRef.current?.focus();
  };
  function choose(chosen: string[]) {
    setAnswers({ ...answers, [item.id]: chosen });
    save.mutate({ itemId: item.id, chosen });
  }

  return (
    <div className="learner test">
      <div className="test-bar">
        <h1>Skill test</h1>
        <p className={`timer${left <= 60 ? ' urgent' : ''}`} role="timer">
          Time left <strong>{clock(left)}</strong>
        </p>
        <p className="visually-hidden" aria-live="polite">
          {left <= 60 && left > 0 ? 'Less than a minute left.' : left <= 300 && left > 240 ? 'Five minutes left.' : ''}
        </p>
      </div>
      <nav aria-label="Questions" className="navigator">
        <ol>
          {attempt.items.map((it, i) => {
            const done = Boolean(answers[it.id]?.length);
            return (
              <li key={it.id}>
                <button
                  type="button"
                  className={`${done ? 'answered' : ''}${i === current ? ' current' : ''}`}
                  aria-current={i === current ? 'step' : undefined}
                  aria-label={`Question ${i + 1}, ${done ? 'answered' : 'not answered'}`}
                  onClick={() => go(i)}
                >
                  {i + 1}
                </button>
              </li>
            );
          })}
        </ol>
        <p className="muted">
          {answered} of {attempt.items.length} answered
        </p>
      </nav>
      <div ref={questionRef} tabIndex={-1} className="question panel">
        <ItemView
          key={item.id}
          item={item}
          number={current + 1}
          chosen={answers[item.id] ?? []}
          onChange={choose}
          disabled={submit.isPending}
        />
        <p className="muted save-state" aria-live="polite">
          {save.isPending ? 'Saving…' : save.isSuccess ? 'Answer saved.' : ''}
        </p>
        <ErrorMessage error={save.error} />
        <div className="actions">
          <button type="button" className="secondary" disabled={current === 0} onClick={() => go(current - 1)}>
            Previous
          </button>
          {current < attempt.items.length - 1 ? (
            <button type="button" className="secondary" onClick={() => go(current + 1)}>
              Next
            </button>
          ) : null}
          <button type="button" onClick={() => setConfirming(true)} disabled={submit.isPending}>
            Submit the test
          </button>
        </div>
      </div>
      {confirming && (
        <section className="panel confirm" aria-labelledby="confirm-title">
          <h2 id="confirm-title">Submit your answers?</h2>
          <p>
            You answered {answered} of {attempt.items.length} questions.
            {answered < attempt.items.length && ' Unanswered questions count as wrong.'} You cannot change your answers
            afterwards.
          </p>
          <div className="actions">
            <button type="button" autoFocus onClick={() => submitNow()} disabled={submit.isPending || save.isPending}>
              Yes, submit
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep working
            </button>
          </div>
        </section>
      )}
      <ErrorMessage error={submit.error} />
    </div>
  );
}
