import { formatDateTime } from '../platform/components';
import { ChecksTable } from '../verification/results';
import { issuerTrustSentence, verdictSentence } from './holding-text';
import type { HoldingDetail } from './wallet-api';

/** The credential checked again with its issuer: the verdict, the issuer's standing and every check. */
export function HoldingVerdict({ verification }: { verification: HoldingDetail['verification'] }) {
  return (
    <section className={`report panel ${verification.verified ? 'ok' : 'bad'}`} aria-labelledby="verdict-heading">
      <h2 id="verdict-heading" className="verdict">
        {verification.verified ? 'Verified' : 'Not verified'}
      </h2>
      <p>{verdictSentence(verification)}</p>
      {verification.issuerTrust && <p>{issuerTrustSentence(verification.issuerTrust)}</p>}
      <p className="hint">Checked {formatDateTime(verification.checkedAt)}.</p>
      {verification.checks.length > 0 && <ChecksTable checks={verification.checks} />}
    </section>
  );
}
