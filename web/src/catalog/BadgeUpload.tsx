import { useId, useState, type ChangeEvent } from 'react';
import { orgPath } from '../accounts/issuer';
import { api } from '../platform/api';
import { BadgeImage } from '../platform/components';

/** What the server accepts (src/catalog/badges.ts checks the bytes again): a PNG or JPEG of at most 256 KiB. */
const maxBytes = 256 * 1024;
const types = ['image/png', 'image/jpeg'];

function base64Of(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Why a chosen file cannot be a badge, said before uploading it; null when it may be. */
export function badgeFileProblem(file: { name: string; type: string; size: number }): string | null {
  if (!types.includes(file.type) && !/\.(png|jpe?g)$/i.test(file.name)) {
    return `“${file.name}” is not a PNG or JPEG image: choose a .png or .jpg file.`;
  }
  if (file.size > maxBytes) {
    return `“${file.name}” is ${Math.ceil(file.size / 1024)} KiB; a badge image may be at most ${maxBytes / 1024} KiB.`;
  }
  return null;
}

/**
 * "Upload a badge image": sends the file to the organization's badge images and hands back its address, which
 * becomes the micro-credential's image; shows the image set now, or the reason a file was refused.
 */
export function BadgeUpload({
  orgId,
  image,
  onUploaded,
}: {
  orgId: string;
  image: string;
  onUploaded(url: string): void;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const problem = badgeFileProblem(file);
    if (problem) {
      setError(problem);
      input.value = '';
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const data = base64Of(await file.arrayBuffer());
      const uploaded = await api<{ id: string; url: string }>('POST', orgPath(orgId, '/badge-images'), { data });
      onUploaded(uploaded.url);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The image could not be uploaded.');
    } finally {
      setBusy(false);
      input.value = '';
    }
  }

  const described = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field badge-upload">
      <label htmlFor={id}>Upload a badge image</label>
      <p className="hint" id={`${id}-hint`}>
        A PNG or JPEG, at most {maxBytes / 1024} KiB, 64 to 2048 pixels a side. Without one, a badge is drawn in your
        organization&apos;s colour.
      </p>
      <input
        id={id}
        type="file"
        accept="image/png,image/jpeg"
        onChange={(event) => void choose(event)}
        disabled={busy}
        aria-describedby={described}
        {...(error ? { 'aria-invalid': true as const } : {})}
      />
      {busy && <p role="status">Uploading…</p>}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      {image && !error && (
        <figure className="badge-preview">
          <BadgeImage src={image} size={96} />
          <figcaption>The badge image (saved with the draft).</figcaption>
        </figure>
      )}
    </div>
  );
}
