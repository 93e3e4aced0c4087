import { fileTypeFromBuffer } from 'file-type';

/**
 * What a learner may hand in: text, https links and a few small files of known types. A file's type is
 * read from its bytes, never from the name or the type the browser claims.
 */
export const submissionLimits = {
  files: 5,
  fileBytes: 5 * 1024 * 1024,
  links: 10,
  narrativeChars: 20_000,
} as const;

export const acceptedTypes = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] as const;
export type AcceptedType = (typeof acceptedTypes)[number];

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are UTF-8 text without control characters other than tab, newline and carriage return. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = textDecoder.decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

/** The accepted type the bytes are, by their magic numbers (or as UTF-8 text), or undefined. */
export async function sniffType(bytes: Uint8Array): Promise<AcceptedType | undefined> {
  if (bytes.length === 0) return undefined;
  const detected = await fileTypeFromBuffer(bytes);
  if (detected)
    return (acceptedTypes as readonly string[]).includes(detected.mime) ? (detected.mime as AcceptedType) : undefined;
  return isPlainText(bytes) ? 'text/plain' : undefined;
}

/** The link, if it is an https address with a host; undefined otherwise. */
export function httpsLink(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return undefined;
  return url.href;
}

/** A file name safe to store and to send back in Content-Disposition: no paths, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are removed
    .replace(/[\u0000-\u001F\u007F"]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}
