import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Panel, formatDateTime } from '../platform/components';
import type { Attempt, CatalogEntry, TestInfo } from '../platform/types';
import { SharePanel } from '../wallet/SharePanel';
import { CredentialCard } from '../issuance/CredentialCard';
import { fetchMyCredentials, myCredentialsKey } from '../issuance/MyCredentialsPage';

/** A finished attempt: score, pass or fail, per-skill results; the credential on a pass, the way back on a fail. */
export function ResultView({ attempt }: { attempt: Attempt }) {
  const score = attempt.score!;
  const entry = useQuery({
    queryKey: ['catalog', 'entry', attempt.achievementId],
    queryFn: () => api<CatalogEntry>('GET', `/api/catalog/${attempt.achievementId}`),
  });
  const skillName = (code: string) => entry.data?.definition.skills.find((s) => s.code === code)?.name ?? code;
  return (
    <div className="learner result">
      <h1>{score.passed ? 'You passed' : 'Not passed this time'}</h1>
      {entry.data && <p className="lede">{entry.data.definition.title}</p>}
      <Panel title="Your score">
        <p className="score">
          <span className={`badge ${score.passed ? 'passed' : 'failed'}`}>{score.passed ? 'Passed' : 'Failed'}</span>{' '}
          <strong>{Math.round(score.percent)}%</strong> ({score.correct} of {score.total} right)
        </p>
        {score.perSkill.length > 0 && (
          <table>
            <caption>By skill</caption>
            <thead>
              <tr>
                <th scope="col">Skill</th>
                <th scope="col">Right</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {score.perSkill.map((s) => (
                <tr key={s.skill}>
                  <td>{skillName(s.skill)}</td>
                  <td>
                    {s.correct} of {s.total}
                  </td>
                  <td>{Math.round(s.percent)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {score.passed ? <Earned credentialId={attempt.credentialId} /> : <Retry achievementId={attempt.achievementId} />}
    </div>
  );
}

function Earned({ credentialId }: { credentialId: string | null }) {
  const mine = useQuery({ queryKey: myCredentialsKey, queryFn: fetchMyCredentials, enabled: !!credentialId });
  const credential = mine.data?.find((c) => c.id === credentialId);
  return (
    <>
      <Panel title="Your credential">
        <ErrorMessage error={mine.error} />
        {credential ? (
          <ul className="cards">
            <CredentialCard credential={credential} />
          </ul>
        ) : (
          <p aria-busy="true">Issuing your credential…</p>
        )}
        <p>
          <Link to="/wallet">All my credentials</Link>
        </p>
      </Panel>
      {credential && <NudgedSharePanel holdingId={credential.id} />}
    </>
  );
}

/**
 * The result page's one-click share panel, shown unless a running sharing experiment put the learner in an arm
 * without it (asking logs the exposure).
 */
function NudgedSharePanel({ holdingId }: { holdingId: string }) {
  const nudge = useQuery({
    queryKey: ['me', 'share-nudge', 'result', holdingId],
    queryFn: () => api<{ panel: boolean }>('POST', '/api/me/share-nudge', { holdingId, surface: 'result' }),
    staleTime: Infinity,
  });
  // Shown when the question fails too: an experiment's trouble never hides the learner's own credential.
  if (nudge.isPending || nudge.data?.panel === false) return null;
  return (
    <>
      {holdingId && (
        <SharePanel
          holdingId={holdingId}
          title="Share your credential"
          invitation="You earned it: let people see it. Add it to LinkedIn, send the link or embed it; anyone can check it with the issuer."
        />
      )}
    </>
  );
}

function Retry({ achievementId }: { achievementId: string }) {
  const info = useQuery({
    queryKey: ['tests', achievementId],
    queryFn: () => api<TestInfo>('GET', `/api/achievements/${achievementId}/test`),
  });
  const me = info.data?.me;
  return (
    <Panel title="Trying again">
      <ErrorMessage error={info.error} />
      {me && me.canStart && (
        <p>
          You may try again ({me.attemptsLeft} attempts left).{' '}
          <Link to={`/catalog/${achievementId}`}>Back to the test</Link>
        </p>
      )}
      {me && !me.canStart && me.reason === 'cooldown' && me.retryAt && (
        <p role="status">
          You can try again from {formatDateTime(me.retryAt)} ({me.attemptsLeft} attempts left).
        </p>
      )}
      {me && !me.canStart && me.reason === 'max-attempts' && <p role="status">{me.message}</p>}
    </Panel>
  );
}
