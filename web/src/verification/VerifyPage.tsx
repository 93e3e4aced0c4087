import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { BadgeImage, ErrorMessage, EuFactList, formatDate } from '../platform/components';
import { ChecksTable, isImageFile, toBase64, TrustBadge, type Check, type IssuerTrust } from './results';

interface Summary {
  issuer: { id?: string; name?: string; url?: string };
  achievement?: { name?: string; description?: string; type?: string; criteria?: string; image?: string };
  subject?: { id?: string; name?: string };
  /** Skills only: the EU elements come apart, labelled, in `facts`. */
  skills: { name: string; code?: string; framework?: string; url?: string }[];
  facts: { label: string; value: string }[];
  learningOutcomes: string[];
  validFrom?: string;
  validUntil?: string;
}

interface Verification {
  verified: boolean;
  details: Check[];
  summary: Summary | null;
  format: string;
  baked: 'png' | 'svg' | null;
  issuerTrust?: IssuerTrust;
}

type Input = { text: string } | { url: string } | { image: string };

/** Anyone can check any Open Badges 3.0 credential here: pasted, dropped as a baked image, or by link. */
export function VerifyPage() {
  const [params] = useSearchParams();
  // A credential handed over by another page (e.g. "Verify it" on My credentials) is checked at once.
  const handed = (useLocation().state as { credential?: string } | null)?.credential;
  const [text, setText] = useState(handed ?? '');
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textId = useId();
  const fileId = useId();
  const linkId = useId();
  const [link, setLink] = useState('');
  const verification = useMutation({ mutationFn: (input: Input) => api<Verification>('POST', '/api/verify', input) });
  const { mutate } = verification;

  const url = params.get('url');
  useEffect(() => {
    if (url) mutate({ url });
  }, [url, mutate]);

  useEffect(() => {
    if (handed) mutate({ text: handed });
  }, [handed, mutate]);

  async function verifyFile(file: File) {
    const bytes = await file.arrayBuffer();
    mutate(isImageFile(file) ? { image: toBase64(bytes) } : { text: new TextDecoder().decode(bytes) });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) mutate({ text: text.trim() });
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void verifyFile(file);
  }

  return (
    <div className="verify">
      <h1>Verify a credential</h1>
      <p className="lede">
        Check any Open Badges 3.0 credential: that its issuer signed it, that nobody changed it, and that it is neither
        expired nor revoked. Nothing you check here is stored.
      </p>
      <p>
        <Link to="/verify/batch">Verify many credentials at once</Link>
      </p>
      <form onSubmit={onSubmit} className="panel">
        <div className="field">
          <label htmlFor={textId}>Paste the credential (JSON) or its JWT</label>
          <textarea id={textId} rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit" disabled={verification.isPending || !text.trim()}>
          {verification.isPending ? 'Checking…' : 'Verify'}
        </button>
      </form>
      <form
        className="panel"
        onSubmit={(event) => {
          event.preventDefault();
          if (link.trim()) mutate({ url: link.trim() });
        }}
      >
        <div className="field">
          <label htmlFor={linkId}>Or the address of a credential or its public page</label>
          <input
            id={linkId}
            type="url"
            inputMode="url"
            placeholder="https://…"
            value={link}
            onChange={(e) => setLink(e.target.value)}
          />
        </div>
        <button type="submit" disabled={verification.isPending || !link.trim()}>
          Verify the address
        </button>
      </form>
      <div
        className={`dropzone panel${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={fileId}>Or choose a badge image (PNG or SVG) or a credential file</label>
        <input
          id={fileId}
          ref={fileInput}
          type="file"
          accept=".png,.svg,.json,.jwt,.jws,image/png,image/svg+xml,application/json"
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const file = e.target.files?.[0];
            if (file) void verifyFile(file);
          }}
        />
        <p className="hint">You can also drop the file here.</p>
      </div>
      <ErrorMessage error={verification.error} />
      {verification.data && <VerificationReport result={verification.data} />}
    </div>
  );
}

/** The registry's name for a known issuer, with what the credential calls itself beside it when that differs. */
function IssuerName({ summary, trust }: { summary: Summary; trust: IssuerTrust | undefined }) {
  const claimed = summary.issuer.name;
  if (trust?.known && trust.name) {
    return (
      <>
        <strong>{trust.name}</strong>{' '}
        {/* Middle dots, not brackets: the registry's own name may end in "(this instance)". */}
        <span className="muted">
          · listed by {trust.registry}
          {claimed && claimed !== trust.name ? ` · the credential says "${claimed}"` : ''} ·{' '}
          <span className="did">{summary.issuer.id}</span>
        </span>
      </>
    );
  }
  return (
    <>
      {claimed ?? 'An unnamed issuer'} <span className="muted did">· {summary.issuer.id}</span>
    </>
  );
}

function VerificationReport({ result }: { result: Verification }) {
  const summary = result.summary;
  const failed = result.details.filter((c) => c.status === 'failed');
  return (
    <section
      className={`report panel ${result.verified ? 'ok' : 'bad'}`}
      aria-live="polite"
      aria-label="Verification result"
    >
      <h2 className="verdict">{result.verified ? 'Verified' : 'Not verified'}</h2>
      <p>
        {result.verified
          ? 'The issuer signed this credential, it has not been changed, and it is currently valid.'
          : `This credential should not be trusted: ${failed.map((c) => c.message).join(' ')}`}
      </p>
      {result.verified && result.issuerTrust && !result.issuerTrust.known && (
        <p className="notice warn">
          This instance does not know this issuer. The signature shows that the credential is unchanged and comes from
          the issuer&apos;s key, but nobody here has confirmed who the issuer is.
        </p>
      )}
      {summary && (
        <dl className="summary">
          {summary.achievement?.name && (
            <>
              <dt>Achievement</dt>
              <dd>
                <BadgeImage src={summary.achievement.image} />
                <strong>{summary.achievement.name}</strong>
                {summary.achievement.description && <div>{summary.achievement.description}</div>}
              </dd>
            </>
          )}
          <dt>Issued by</dt>
          <dd>
            <IssuerName summary={summary} trust={result.issuerTrust} />{' '}
            <TrustBadge trust={result.issuerTrust} checks={result.details} />
          </dd>
          {summary.validFrom && (
            <>
              <dt>Valid</dt>
              <dd>
                from {formatDate(summary.validFrom)}
                {summary.validUntil ? ` until ${formatDate(summary.validUntil)}` : ', with no expiry'}
              </dd>
            </>
          )}
          {summary.skills.length > 0 && (
            <>
              <dt>Skills</dt>
              <dd>
                <ul className="skills">
                  {summary.skills.map((skill) => (
                    <li key={`${skill.framework}-${skill.code}-${skill.name}`}>
                      {skill.name}
                      {skill.framework && <span className="muted"> · {skill.framework}</span>}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          {summary.facts.length > 0 && (
            <>
              <dt>Micro-credential facts</dt>
              <dd>
                <EuFactList facts={summary.facts} label="Micro-credential facts" />
              </dd>
            </>
          )}
          {summary.learningOutcomes.length > 0 && (
            <>
              <dt>Learning outcomes</dt>
              <dd>
                <ul className="skills">
                  {summary.learningOutcomes.map((outcome) => (
                    <li key={outcome}>{outcome}</li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      )}
      <h3>What was checked</h3>
      <ChecksTable checks={result.details} />
    </section>
  );
}
