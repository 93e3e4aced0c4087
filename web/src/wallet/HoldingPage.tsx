import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, formatDate, formatDateTime, Loading } from '../platform/components';
import { ExportMenu } from './ExportMenu';
import { SharePanel } from './SharePanel';
import { ChecksTable } from '../verification/results';
import { isWebLink, statusLabels, walletKey, type HoldingDetail } from './wallet-api';

/** One credential in the wallet: checked again with its issuer on every visit, with everything it says. */
export function HoldingPage() {
  const { holdingId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notice = (useLocation().state as { message?: string } | null)?.message;
  const [confirming, setConfirming] = useState(false);
  const detail = useQuery({
    queryKey: [...walletKey, 'holding', holdingId],
    queryFn: () => api<HoldingDetail>('GET', `/api/me/wallet/${holdingId}`),
    // The verdict is live: a revocation since the last visit must show.
    staleTime: 0,
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/me/wallet/${holdingId}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: walletKey });
      navigate('/wallet');
    },
  });

  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorMessage error={detail.error} />;
  const { holding, verification, achievement, issuer } = detail.data;
  const failed = verification.checks.filter((c) => c.status === 'failed');

  return (
    <div className="stack holding">
      <p>
        <Link to="/wallet">← My credentials</Link>
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <h1>{holding.name}</h1>
      <p className="lede">
        {issuer.name ? `Issued by ${issuer.name}` : 'Issuer not named'}
        {' · '}
        <span className={`badge ${holding.status}`}>{statusLabels[holding.status]}</span>
      </p>

      <section className={`report panel ${verification.verified ? 'ok' : 'bad'}`} aria-labelledby="verdict-heading">
        <h2 id="verdict-heading" className="verdict">
          {verification.verified ? 'Verified' : 'Not verified'}
        </h2>
        <p>
          {verification.error ??
            (verification.verified
              ? 'Its issuer signed it, nobody has changed it, and it is valid today.'
              : `It does not hold up today: ${failed.map((c) => c.message).join(' ')}`)}
        </p>
        {verification.issuerTrust && (
          <p>
            {verification.issuerTrust.known
              ? `The issuer is known${verification.issuerTrust.registry ? ` to ${verification.issuerTrust.registry}` : ''}${verification.issuerTrust.name ? ` as ${verification.issuerTrust.name}` : ''}.`
              : 'The issuer is not in any registry this site trusts: check who they are before relying on it.'}
          </p>
        )}
        <p className="hint">Checked {formatDateTime(verification.checkedAt)}.</p>
        {verification.checks.length > 0 && <ChecksTable checks={verification.checks} />}
      </section>

      <ExportMenu holdingId={holding.id} name={holding.name} exports={detail.data.exports} />
      <SharePanel holdingId={holding.id} />

      <section className="panel" aria-labelledby="achievement-heading">
        <h2 id="achievement-heading">About this achievement</h2>
        {achievement.description && <p>{achievement.description}</p>}
        <dl className="facts">
          <div>
            <dt>Issued</dt>
            <dd>{formatDate(holding.issuedAt)}</dd>
          </div>
          <div>
            <dt>Valid until</dt>
            <dd>{holding.validUntil ? formatDate(holding.validUntil) : 'No expiry'}</dd>
          </div>
          {holding.facts.map((fact) => (
            <div key={fact.label}>
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
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

      {(detail.data.results.length > 0 || detail.data.evidence.length > 0) && (
        <section className="panel" aria-labelledby="result-heading">
          <h2 id="result-heading">Result and evidence</h2>
          {detail.data.results.length > 0 && (
            <dl className="facts">
              {detail.data.results.map((result, i) => (
                <div key={`${result.label}-${i}`}>
                  <dt>{result.label}</dt>
                  <dd>{[result.value, result.status, result.detail].filter(Boolean).join(' · ') || 'Recorded'}</dd>
                </div>
              ))}
            </dl>
          )}
          {detail.data.evidence.length > 0 && (
            <ul>
              {detail.data.evidence.map((evidence, i) => (
                <li key={`${evidence.name}-${i}`}>
                  <strong>{evidence.name ?? 'Evidence'}</strong>
                  {evidence.narrative && <span>: {evidence.narrative}</span>}
                  {isWebLink(evidence.url) && (
                    <>
                      {' '}
                      <a href={evidence.url}>See the evidence</a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section className="panel" aria-labelledby="issuer-heading">
        <h2 id="issuer-heading">Issuer</h2>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{issuer.name ?? 'Not named'}</dd>
          </div>
          {issuer.id && (
            <div>
              <dt>Identifier</dt>
              <dd className="break">{issuer.id}</dd>
            </div>
          )}
          {isWebLink(issuer.url) && (
            <div>
              <dt>Web site</dt>
              <dd>
                <a href={issuer.url}>{issuer.url}</a>
              </dd>
            </div>
          )}
          {issuer.country && (
            <div>
              <dt>Country</dt>
              <dd>{issuer.country}</dd>
            </div>
          )}
          <div>
            <dt>Accreditation</dt>
            <dd>
              {issuer.qualityAssurance
                ? [
                    issuer.qualityAssurance.accreditingBody,
                    issuer.qualityAssurance.accreditationId,
                    issuer.qualityAssurance.framework,
                    issuer.qualityAssurance.validUntil && `until ${formatDate(issuer.qualityAssurance.validUntil)}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')
                : 'None stated'}
            </dd>
          </div>
        </dl>
        {detail.data.revocationReason && <p>Reason given by the issuer: {detail.data.revocationReason}</p>}
      </section>

      {holding.kind === 'imported' && (
        <section className="panel" aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove from wallet</h2>
          <p>
            You imported this credential{detail.data.sourceUrl ? ` from ${detail.data.sourceUrl}` : ''} on{' '}
            {formatDate(holding.addedAt)}. Removing it deletes only your copy here.
          </p>
          <ErrorMessage error={remove.error} />
          {confirming ? (
            <div className="actions">
              <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                Yes, remove it
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirming(true)}>
              Remove…
            </button>
          )}
        </section>
      )}
    </div>
  );
}
