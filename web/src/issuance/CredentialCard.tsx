import { Link } from 'react-router';
import { formatDate } from '../platform/components';
import type { IssuedCredential } from '../platform/types';

interface Readable {
  name?: string;
  issuer?: string | { name?: string };
  credentialSubject?: { achievement?: { name?: string } };
}

/** The document itself: a VC-JWT stays a string; JSON is pretty-printed. */
export function credentialText(credential: IssuedCredential): string {
  const vc = credential.verifiableCredential;
  return typeof vc === 'string' ? vc : JSON.stringify(vc, null, 2);
}

function download(credential: IssuedCredential) {
  const jwt = typeof credential.verifiableCredential === 'string';
  const blob = new Blob([credentialText(credential)], { type: jwt ? 'application/jwt' : 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `credential-${credential.id}.${jwt ? 'jwt' : 'json'}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

const statusLabels = { active: 'Valid', suspended: 'Suspended', revoked: 'Revoked', expired: 'Expired' } as const;

/** One earned credential: what, from whom, when, until when; verify it or keep a copy. */
export function CredentialCard({ credential }: { credential: IssuedCredential }) {
  const vc = (typeof credential.verifiableCredential === 'object' ? credential.verifiableCredential : {}) as Readable;
  const name = vc.credentialSubject?.achievement?.name ?? credential.name ?? vc.name ?? 'Credential';
  const issuer = typeof vc.issuer === 'object' ? vc.issuer.name : undefined;
  return (
    <li className="card credential">
      <h3>{name}</h3>
      {issuer && <p className="muted">Issued by {issuer}</p>}
      <dl className="facts">
        <div>
          <dt>Issued</dt>
          <dd>{formatDate(credential.issuedAt)}</dd>
        </div>
        <div>
          <dt>Valid until</dt>
          <dd>{credential.validUntil ? formatDate(credential.validUntil) : 'No expiry'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge ${credential.status}`}>{statusLabels[credential.status]}</span>
          </dd>
        </div>
        {credential.revocationReason && (
          <div>
            <dt>Reason</dt>
            <dd>{credential.revocationReason}</dd>
          </div>
        )}
      </dl>
      <div className="actions">
        <Link className="button secondary" to="/verify" state={{ credential: credentialText(credential) }}>
          Verify it
        </Link>
        <button type="button" className="secondary" onClick={() => download(credential)}>
          Download JSON
        </button>
      </div>
    </li>
  );
}
