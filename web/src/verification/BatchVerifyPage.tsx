import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage } from '../platform/components';
import { checkNames, isImageFile, statusWords, toBase64, TrustBadge, type Check, type IssuerTrust } from './results';

type Item = { text: string; label?: string } | { url: string; label?: string } | { image: string; label?: string };

interface BatchResult {
  index: number;
  label: string | null;
  verdict: 'verified' | 'not-verified' | 'error';
  headline: string;
  issuer: { id: string | null; name: string | null; claimedName: string | null } | null;
  issuerTrust: IssuerTrust | null;
  achievement: string | null;
  recipient: string | null;
  checks: Check[];
}

interface BatchResponse {
  counts: { verified: number; notVerified: number; errors: number };
  results: BatchResult[];
}

const maxItems = 50;
const verdictWords = { verified: 'Verified', 'not-verified': 'Not verified', error: 'Could not be checked' } as const;
const verdictBadge = { verified: 'passed', 'not-verified': 'failed', error: 'open' } as const;

const looksLikeUrl = (line: string) => /^https?:\/\/\S+$/.test(line);
const looksLikeJwt = (line: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(line);
function isJsonObject(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
}

/**
 * Pasted text as items: blocks split by blank lines; a block whose every line stands alone (a link, a JWT, a
 * one-line JSON credential) is one item per line, any other block (pretty-printed JSON) is one item.
 */
export function splitPasted(text: string): Item[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .flatMap((block) => {
      const lines = block
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      const oneEach = lines.every((line) => looksLikeUrl(line) || looksLikeJwt(line) || isJsonObject(line));
      return oneEach ? lines : [block];
    })
    .map((piece) => (looksLikeUrl(piece) ? { url: piece } : { text: piece }));
}

async function fileItem(file: File): Promise<Item> {
  const bytes = await file.arrayBuffer();
  return isImageFile(file)
    ? { image: toBase64(bytes), label: file.name }
    : { text: new TextDecoder().decode(bytes), label: file.name };
}

/** For employers: many credentials checked in one go, each with its own plain verdict. */
export function BatchVerifyPage() {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [tooMany, setTooMany] = useState<string | null>(null);
  const textId = useId();
  const hintId = useId();
  const fileId = useId();
  const batch = useMutation({
    mutationFn: (items: Item[]) => api<BatchResponse>('POST', '/api/verify/batch', { items }),
  });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const items = [...splitPasted(text), ...(await Promise.all(files.map(fileItem)))];
    if (items.length > maxItems) {
      setTooMany(`That is ${items.length} credentials; check at most ${maxItems} at a time.`);
      return;
    }
    setTooMany(null);
    if (items.length) batch.mutate(items);
  }

  return (
    <div className="verify">
      <h1>Verify many credentials</h1>
      <p className="lede">
        Check up to {maxItems} credentials at once: links to them, pasted credentials or JWTs, and badge images or
        credential files. Each gets its own verdict; nothing you check here is stored.{' '}
        <Link to="/verify">Verify a single credential</Link>
      </p>
      <form onSubmit={onSubmit} className="panel">
        <div className="field">
          <label htmlFor={textId}>Paste links or credentials</label>
          <p className="hint" id={hintId}>
            One link or JWT per line. Separate pasted JSON credentials with a blank line.
          </p>
          <textarea
            id={textId}
            aria-describedby={hintId}
            rows={10}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={fileId}>Or choose badge images (PNG or SVG) or credential files</label>
          <input
            id={fileId}
            type="file"
            multiple
            accept=".png,.svg,.json,.jwt,.jws,image/png,image/svg+xml,application/json"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </div>
        <button type="submit" disabled={batch.isPending || (!text.trim() && files.length === 0)}>
          {batch.isPending ? 'Checking…' : 'Verify all'}
        </button>
      </form>
      {tooMany && (
        <p className="alert" role="alert">
          {tooMany}
        </p>
      )}
      <ErrorMessage error={batch.error} />
      {batch.data && <BatchResults data={batch.data} />}
    </div>
  );
}

function BatchResults({ data }: { data: BatchResponse }) {
  const { counts, results } = data;
  return (
    <section className="panel" aria-live="polite" aria-label="Batch results">
      <h2>Results</h2>
      <p>
        {counts.verified} verified, {counts.notVerified} not verified, {counts.errors} could not be checked.
      </p>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">One row per credential, in the order given</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Verdict</th>
              <th scope="col">Issuer</th>
              <th scope="col">Achievement</th>
              <th scope="col">Recipient</th>
              <th scope="col">What it means</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result) => (
              <tr key={result.index}>
                <td>
                  {result.index + 1}
                  {result.label && <div className="muted">{result.label}</div>}
                </td>
                <td>
                  <span className={`badge ${verdictBadge[result.verdict]}`}>{verdictWords[result.verdict]}</span>
                </td>
                <td>
                  {result.issuer ? (
                    <>
                      {result.issuer.name ?? 'An unnamed issuer'}{' '}
                      <TrustBadge trust={result.issuerTrust} checks={result.checks} />
                      {result.issuerTrust?.known && result.issuerTrust.registry && (
                        <div className="muted">listed by {result.issuerTrust.registry}</div>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{result.achievement ?? '—'}</td>
                <td>{result.recipient ?? '—'}</td>
                <td>
                  {result.headline}
                  {result.checks.length > 0 && (
                    <details>
                      <summary>Checks</summary>
                      <ul>
                        {result.checks.map((check) => (
                          <li key={check.id}>
                            {checkNames[check.id] ?? check.id}: {statusWords[check.status]}. {check.message}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
