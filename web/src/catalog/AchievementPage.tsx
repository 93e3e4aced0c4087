import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDateTime } from '../platform/components';
import type { Attempt, CatalogEntry, TestInfo } from '../platform/types';
import { ReviewPanel } from '../review/ReviewPanel';
import { AchievementDetails } from './AchievementDetails';

/** A published micro-credential for learners: what it covers, who stands behind it, and its test. */
export function AchievementPage() {
  const { achievementId = '' } = useParams();
  const entry = useQuery({
    queryKey: ['catalog', 'entry', achievementId],
    queryFn: () => api<CatalogEntry>('GET', `/api/catalog/${achievementId}`),
  });
  if (entry.isPending) return <Loading />;
  if (!entry.data) return <ErrorMessage error={entry.error} />;
  const v = entry.data;
  return (
    <div className="learner">
      <p>
        <Link to="/catalog">← Catalog</Link>
      </p>
      <h1 className="visually-hidden">{v.definition.title}</h1>
      <div className="two-columns">
        <Panel title="About this micro-credential">
          <AchievementDetails definition={v.definition} issuerName={v.issuer.name} issuer={v.issuerDetails} />
        </Panel>
        {v.definition.assessmentType === 'skill-test' ? (
          <TestPanel achievementId={achievementId} />
        ) : (
          <ReviewPanel achievementId={achievementId} />
        )}
      </div>
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function TestPanel({ achievementId }: { achievementId: string }) {
  const navigate = useNavigate();
  const info = useQuery({
    queryKey: ['tests', achievementId],
    queryFn: () => api<TestInfo>('GET', `/api/achievements/${achievementId}/test`),
  });
  const start = useMutation({
    mutationFn: () => api<Attempt>('POST', `/api/achievements/${achievementId}/attempts`),
    onSuccess: (attempt) => navigate(`/attempts/${attempt.id}`),
  });
  if (info.isPending) return <Loading />;
  if (!info.data) return <ErrorMessage error={info.error} />;
  const { policy, available, me } = info.data;
  return (
    <Panel title="Skill test">
      <dl className="facts">
        <div>
          <dt>Questions</dt>
          <dd>{policy.length}</dd>
        </div>
        <div>
          <dt>Time limit</dt>
          <dd>{plural(policy.timeLimitMinutes, 'minute')}</dd>
        </div>
        <div>
          <dt>Pass mark</dt>
          <dd>{policy.passMark}%</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{me ? `${me.attemptsLeft} of ${policy.maxAttempts} left` : policy.maxAttempts}</dd>
        </div>
        <div>
          <dt>Wait after a fail</dt>
          <dd>{policy.cooldownHours ? plural(policy.cooldownHours, 'hour') : 'None'}</dd>
        </div>
      </dl>
      {!available && <p className="notice warn">This test is not open yet: its issuer is still preparing it.</p>}
      {available && !me && (
        <p>
          <Link className="button" to="/sign-in">
            Sign in to take the test
          </Link>
        </p>
      )}
      {available && me && <Standing me={me} onStart={() => start.mutate()} starting={start.isPending} />}
      <ErrorMessage error={start.error} />
    </Panel>
  );
}

function Standing({ me, onStart, starting }: { me: NonNullable<TestInfo['me']>; onStart(): void; starting: boolean }) {
  if (me.openAttemptId)
    return (
      <p>
        <Link className="button" to={`/attempts/${me.openAttemptId}`}>
          Resume your attempt
        </Link>
      </p>
    );
  const lastResult = me.lastAttemptId && <Link to={`/attempts/${me.lastAttemptId}`}>See your last result</Link>;
  if (me.canStart)
    return (
      <>
        <p className="hint">The timer starts as soon as you begin. Your answers are saved as you go.</p>
        <p>
          <button type="button" onClick={onStart} disabled={starting}>
            Take the test
          </button>
        </p>
        {lastResult && <p>{lastResult}</p>}
      </>
    );
  return (
    <div className="notice" role="status">
      {me.reason === 'passed' ? (
        <p>
          You passed this test. <Link to="/credentials">See your credential</Link>.
        </p>
      ) : me.reason === 'cooldown' && me.retryAt ? (
        <p>You can try again from {formatDateTime(me.retryAt)}.</p>
      ) : (
        <p>{me.message}</p>
      )}
      {lastResult && <p>{lastResult}</p>}
    </div>
  );
}
