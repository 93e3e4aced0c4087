/** What the verify pages share: the words for each check and the issuer's standing on this instance. */
export interface Check {
  id: string;
  status: 'passed' | 'failed' | 'warning' | 'skipped';
  message: string;
}

/** Whether this instance's registry of trusted issuers lists the issuer, and by which name. */
export interface IssuerTrust {
  known: boolean;
  name?: string;
  registry?: string;
  url?: string;
}

export const checkNames: Record<string, string> = {
  'data-model': 'Structure',
  context: 'Vocabulary',
  schema: 'Open Badges format',
  proof: 'Signature',
  issuer: 'Issuer',
  trust: 'Trusted issuer',
  'valid-from': 'Start date',
  'valid-until': 'Expiry',
  status: 'Revocation',
};

export const statusWords = { passed: 'Passed', failed: 'Failed', warning: 'Warning', skipped: 'Not checked' } as const;

/** "Known issuer" only when a registry here lists the issuer the signature confirmed. */
export function TrustBadge({ trust, checks }: { trust: IssuerTrust | null | undefined; checks: Check[] }) {
  const check = checks.find((c) => c.id === 'trust');
  if (!trust || !check) return null;
  if (trust.known) return <span className="badge passed">Known issuer</span>;
  if (check.status === 'skipped') return <span className="badge">Issuer not confirmed</span>;
  return <span className="badge open">Unknown issuer</span>;
}

/** Every check with its outcome and detail, in the words above. */
export function ChecksTable({ checks }: { checks: Check[] }) {
  return (
    <table>
      <caption className="visually-hidden">Checks and their outcome</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Outcome</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.id} className={`check-${check.status}`}>
            <td>{checkNames[check.id] ?? check.id}</td>
            <td>{statusWords[check.status]}</td>
            <td>{check.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const isImageFile = (file: File) => file.type.startsWith('image/') || /\.(png|svg)$/i.test(file.name);
