import { createHash } from 'node:crypto';

/**
 * Badge images: what an issuer may upload for a micro-credential (a PNG or JPEG, at most 256 KiB, 64 to 2048
 * pixels a side for PNGs), and the badge Skillproof draws when there is none, in the issuer's colour. Plain
 * functions; the store keeps the bytes and the routes serve them.
 */
export const badgeLimits = { bytes: 256 * 1024, minSide: 64, maxSide: 2048 } as const;

export type BadgeMediaType = 'image/png' | 'image/jpeg';

export type BadgeCheck = { ok: true; mediaType: BadgeMediaType; sha256: string } | { ok: false; message: string };

const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks uploaded bytes by their content (never by the name or type the client claims). */
export function checkBadgeImage(bytes: Uint8Array): BadgeCheck {
  if (bytes.length === 0) return { ok: false, message: 'The image is empty.' };
  if (bytes.length > badgeLimits.bytes) {
    return { ok: false, message: `The image is larger than ${badgeLimits.bytes / 1024} KiB: make it smaller.` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (png.every((b, i) => bytes[i] === b)) {
    // IHDR is the first chunk: width and height at bytes 16–23.
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
      return { ok: false, message: 'The PNG image is damaged.' };
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [width, height] = [view.getUint32(16), view.getUint32(20)];
    const { minSide, maxSide } = badgeLimits;
    if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide) {
      return {
        ok: false,
        message: `The image is ${width}×${height} pixels: each side must be ${minSide} to ${maxSide} pixels.`,
      };
    }
    return { ok: true, mediaType: 'image/png', sha256 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ok: true, mediaType: 'image/jpeg', sha256 };
  return { ok: false, message: 'A badge image is a PNG or JPEG file.' };
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The issuer's colour, or one of its own made from its id (a stable hue). */
export function colourOf(orgId: string, chosen: string | undefined): string {
  if (chosen && /^#[0-9a-fA-F]{6}$/.test(chosen)) return chosen.toLowerCase();
  const hue = createHash('sha256').update(orgId).digest().readUInt16BE(0) % 360;
  return `hsl(${hue} 55% 32%)`;
}

/**
 * A badge drawn for a micro-credential without an image: a round seal in the issuer's colour with the code
 * (or the title's initials) and the issuer's name. White text on the colour: the generated hues are dark.
 */
export function generatedBadgeSvg(input: { code: string; title: string; issuerName: string; colour: string }): string {
  const code = escape(input.code.slice(0, 12));
  const issuer = escape(input.issuerName.length > 28 ? `${input.issuerName.slice(0, 27)}…` : input.issuerName);
  const title = escape(input.title);
  const colour = escape(input.colour);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" aria-label="${title}">
<title>${title}</title>
<circle cx="128" cy="128" r="124" fill="${colour}"/>
<circle cx="128" cy="128" r="108" fill="none" stroke="#ffffff" stroke-width="4" stroke-dasharray="2 6"/>
<text x="128" y="138" text-anchor="middle" font-family="system-ui, sans-serif" font-size="${code.length > 8 ? 28 : 38}" font-weight="700" fill="#ffffff">${code}</text>
<text x="128" y="178" text-anchor="middle" font-family="system-ui, sans-serif" font-size="13" fill="#ffffff">${issuer}</text>
</svg>
`;
}
