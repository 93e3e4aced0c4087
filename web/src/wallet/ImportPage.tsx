import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage } from '../platform/components';
import { walletKey, type ImportResult } from './wallet-api';

type ImportInput = { text: string } | { url: string } | { image: string };

function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Brings a credential earned elsewhere into the wallet: pasted, as a file (baked badge image) or by link. */
export function ImportPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const textId = useId();
  const fileId = useId();
  const urlId = useId();
  const importing = useMutation({
    mutationFn: (input: ImportInput) => api<ImportResult>('POST', '/api/me/wallet/import', input),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: walletKey });
      navigate(`/wallet/${result.holding.id}`, { state: { message: result.message } });
    },
  });

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    const isImage = file.type.startsWith('image/') || /\.(png|svg)$/i.test(file.name);
    importing.mutate(isImage ? { image: toBase64(bytes) } : { text: new TextDecoder().decode(bytes) });
  }

  function submitText(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) importing.mutate({ text: text.trim() });
  }

  function submitUrl(event: FormEvent) {
    event.preventDefault();
    if (url.trim()) importing.mutate({ url: url.trim() });
  }

  return (
    <div className="stack import">
      <p>
        <Link to="/wallet">← My credentials</Link>
      </p>
      <h1>Import a credential</h1>
      <p className="lede">
        Add an Open Badges credential (3.0, or an older 2.0 badge) that was issued to you elsewhere. It is checked with
        its issuer first, and it must be issued to your account's email address, an address you confirmed or a DID you
        linked under <Link to="/identities">your identities</Link>.
      </p>
      <ErrorMessage error={importing.error} />
      {importing.isPending && (
        <p role="status" aria-busy="true">
          Checking the credential…
        </p>
      )}
      <section className="panel" aria-labelledby="import-file">
        <h2 id="import-file">From a file</h2>
        <label htmlFor={fileId}>Choose a badge image (PNG or SVG) or a credential file (JSON or JWT)</label>
        <input
          id={fileId}
          type="file"
          accept=".png,.svg,.json,.jwt,.jws,image/png,image/svg+xml,application/json"
          onChange={(e) => void importFile(e)}
          disabled={importing.isPending}
        />
      </section>
      <form className="panel" aria-labelledby="import-text" onSubmit={submitText}>
        <h2 id="import-text">Paste it</h2>
        <div className="field">
          <label htmlFor={textId}>The credential (JSON) or its JWT</label>
          <textarea id={textId} rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit" disabled={importing.isPending || !text.trim()}>
          Import
        </button>
      </form>
      <form className="panel" aria-labelledby="import-url" onSubmit={submitUrl}>
        <h2 id="import-url">From a link</h2>
        <div className="field">
          <label htmlFor={urlId}>Address of the credential (https://…)</label>
          <input id={urlId} type="url" value={url} onChange={(e) => setUrl(e.target.value)} maxLength={2000} />
        </div>
        <button type="submit" disabled={importing.isPending || !url.trim()}>
          Import from link
        </button>
      </form>
    </div>
  );
}
