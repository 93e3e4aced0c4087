import { accreditationText } from './holding-text';
import { isWebLink, type HoldingDetail } from './wallet-api';

/** Who issued the credential, as it names them, and the issuer's reason when they revoked it. */
export function IssuerSection({ issuer, revocationReason }: Pick<HoldingDetail, 'issuer' | 'revocationReason'>) {
  return (
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
          <dd>{accreditationText(issuer)}</dd>
        </div>
      </dl>
      {revocationReason && <p>Reason given by the issuer: {revocationReason}</p>}
    </section>
  );
}
