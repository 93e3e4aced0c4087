import { useId, useState } from 'react';
import { api } from '../platform/api';
import { ErrorMessage } from '../platform/components';
import type { ExportFormat, HoldingDetail } from './wallet-api';

const labels: Record<ExportFormat, { label: string; hint: string }> = {
  json: { label: 'JSON', hint: 'The credential with its proof, for wallets and verifiers.' },
  jwt: { label: 'VC-JWT', hint: 'A signed JSON Web Token of the same credential.' },
  png: { label: 'Badge image (PNG)', hint: 'A badge picture with the credential baked in.' },
  svg: { label: 'Badge image (SVG)', hint: 'A scalable badge picture with the credential baked in.' },
};

/** Download links for one credential, each format with what it is for; unavailable ones say why (the server's words). */
export function ExportMenu({
  holdingId,
  name,
  exports,
}: Pick<HoldingDetail, 'exports'> & { holdingId: string; name: string }) {
  const headingId = useId();
  return (
    <section className="export-menu" aria-labelledby={headingId}>
      <h3 id={headingId}>Download “{name}”</h3>
      <ul className="export-formats">
        {exports.map(({ format: to, unavailable: reason }) => {
          const hintId = `${headingId}-${to}`;
          return (
            <li key={to}>
              {reason ? (
                <span className="button secondary disabled" aria-disabled="true" aria-describedby={hintId}>
                  {labels[to].label}
                </span>
              ) : (
                <a
                  className="button secondary"
                  href={`/api/me/wallet/${encodeURIComponent(holdingId)}/export/${to}`}
                  download
                  aria-describedby={hintId}
                >
                  {labels[to].label}
                </a>
              )}
              <span className="hint" id={hintId}>
                {reason ?? labels[to].hint}
              </span>
            </li>
          );
        })}
        {exports.some((e) => e.format === 'json' && !e.unavailable) && (
          <li>
            <a
              className="button secondary"
              href={`/api/me/wallet/${encodeURIComponent(holdingId)}/elm`}
              download="european-learning-model.jsonld"
              aria-describedby={`${headingId}-elm`}
            >
              European Learning Model
            </a>
            <span className="hint" id={`${headingId}-elm`}>
              The credential in the EU&apos;s European Learning Model (ELM v3, unsigned JSON-LD), with its EU elements;
              a stacked credential with its components.
            </span>
          </li>
        )}
      </ul>
    </section>
  );
}

interface TranscriptResponse {
  transcript: Record<string, unknown>;
  included: string[];
  leftOut: { holdingId: string; name: string | null; reason: string }[];
}

function saveJson(value: unknown, filename: string) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/vc+ld+json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** For the wallet list: everything as a zip, and a signed CLR 2.0 transcript of the credentials that verify. */
export function TranscriptAndZip({ holdingIds }: { holdingIds?: string[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<TranscriptResponse | null>(null);

  async function createTranscript() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const response = await api<TranscriptResponse>(
        'POST',
        '/api/me/wallet/transcript',
        holdingIds ? { holdingIds } : {},
      );
      saveJson(response.transcript, `clr-transcript-${new Date().toISOString().slice(0, 10)}.json`);
      setResult(response);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="wallet-exports">
      <div className="actions">
        <a className="button secondary" href="/api/me/wallet/export.zip" download>
          Download all (zip)
        </a>
        <button type="button" onClick={() => void createTranscript()} disabled={busy} aria-busy={busy}>
          {busy ? 'Creating transcript…' : 'Create CLR transcript'}
        </button>
      </div>
      <p className="hint">
        The zip holds each credential as you hold it plus a badge image. The CLR transcript is one signed record of your
        credentials that verify, which any CLR 2.0 verifier can check.
      </p>
      <ErrorMessage error={error} />
      <div role="status">
        {result && (
          <>
            <p>
              Transcript downloaded with {result.included.length} credential
              {result.included.length === 1 ? '' : 's'}.
            </p>
            {result.leftOut.length > 0 && (
              <>
                <p>Left out:</p>
                <ul>
                  {result.leftOut.map((item) => (
                    <li key={item.holdingId}>
                      {item.name ?? 'Credential'}: {item.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
