import sharp from 'sharp';
import { bakePng, bakeSvg, imageKind, type BakedContent } from '../../vc/baking.js';
import { VcError } from '../../vc/errors.js';
import { achievementOf } from '../facts.js';

/**
 * Badge images for export: the achievement's own image when the credential carries it inline (a data: URI
 * PNG or SVG), otherwise a plain SVG badge drawn from the credential's facts. Remote images are never
 * fetched here (no request leaves the server because a learner downloads a badge). The credential is baked
 * last: re-encoding a PNG drops its iTXt chunks.
 */
export interface BadgeFacts {
  achievementName: string;
  issuerName: string;
  /** The day it was issued, YYYY-MM-DD, when the credential says. */
  issuedOn: string | undefined;
  /** The achievement's inline image, when it is a data: URI PNG or SVG. */
  inlineImage: { kind: 'png' | 'svg'; bytes: Buffer } | undefined;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.trim()) return value.trim();
  // Language maps ({ "en": "…" }) are allowed for names: take the first language given.
  const map = asObject(value);
  const first = map && Object.values(map).find((v) => typeof v === 'string' && v.trim());
  return typeof first === 'string' ? first.trim() : undefined;
};

/** Decodes a data: URI image (base64 or percent-encoded); undefined for anything else. */
export function inlineImage(image: unknown): BadgeFacts['inlineImage'] {
  const uri = typeof image === 'string' ? image : asObject(image)?.id;
  if (typeof uri !== 'string') return undefined;
  const match = /^data:(image\/png|image\/svg\+xml)(;[^,]*)?,(.*)$/is.exec(uri.trim());
  if (!match) return undefined;
  const base64 = /;base64$/i.test(match[2] ?? '');
  let bytes: Buffer;
  try {
    bytes = base64 ? Buffer.from(match[3]!, 'base64') : Buffer.from(decodeURIComponent(match[3]!), 'utf8');
  } catch {
    return undefined;
  }
  const kind = imageKind(bytes);
  // The declared type must match the bytes: a "PNG" that is really something else is not used.
  const declared = match[1]!.toLowerCase() === 'image/png' ? 'png' : 'svg';
  return kind === declared ? { kind, bytes } : undefined;
}

export function badgeFacts(credential: Json): BadgeFacts {
  const achievement = achievementOf(credential);
  const issuer = asObject(credential.issuer);
  const issued = [credential.awardedDate, credential.validFrom, credential.issuanceDate].find(
    (value): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value),
  );
  return {
    achievementName: text(achievement?.name) ?? text(credential.name) ?? 'Achievement',
    issuerName: text(issuer?.name) ?? (typeof credential.issuer === 'string' ? credential.issuer : 'Unknown issuer'),
    issuedOn: issued?.slice(0, 10),
    inlineImage: inlineImage(achievement?.image) ?? inlineImage(credential.image),
  };
}

export function escapeXml(value: string): string {
  return (
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 cannot hold at all (control characters) are dropped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  );
}

/** Splits text into lines of at most `width` characters at spaces, at most `maxLines` (the last one elided). */
export function wrapText(value: string, width: number, maxLines: number): string[] {
  const words = value.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    // A word longer than a line is cut into pieces.
    for (let piece = word; piece.length > 0; piece = piece.slice(width)) {
      const chunk = piece.slice(0, width);
      if (!current) current = chunk;
      else if (current.length + 1 + chunk.length <= width) current += ` ${chunk}`;
      else {
        lines.push(current);
        current = chunk;
      }
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1).trimEnd()}…`;
  return kept;
}

const size = 400;

/** A clean, accessible SVG badge: achievement name (wrapped), issuer, date. Every text is escaped. */
export function renderBadgeSvg(facts: Pick<BadgeFacts, 'achievementName' | 'issuerName' | 'issuedOn'>): string {
  const nameLines = wrapText(facts.achievementName, 18, 4);
  const issuerLines = wrapText(facts.issuerName, 30, 2);
  const label = `${facts.achievementName}, issued by ${facts.issuerName}${facts.issuedOn ? ` on ${facts.issuedOn}` : ''}`;
  const nameTop = 170 - (nameLines.length - 1) * 15;
  const tspans = (lines: string[], top: number, step: number) =>
    lines.map((line, i) => `<tspan x="200" y="${top + i * step}">${escapeXml(line)}</tspan>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-labelledby="badge-title">`,
    `<title id="badge-title">${escapeXml(label)}</title>`,
    `<circle cx="200" cy="200" r="192" fill="#1e3a8a"/>`,
    `<circle cx="200" cy="200" r="176" fill="#ffffff"/>`,
    `<circle cx="200" cy="200" r="168" fill="none" stroke="#1e3a8a" stroke-width="3"/>`,
    `<g font-family="DejaVu Sans, Verdana, Arial, sans-serif" text-anchor="middle" fill="#0f172a">`,
    `<text font-size="24" font-weight="bold">${tspans(nameLines, nameTop, 30)}</text>`,
    `<text font-size="16" fill="#334155">${tspans(issuerLines, 268, 20)}</text>`,
    facts.issuedOn ? `<text font-size="15" fill="#475569" x="200" y="320">${escapeXml(facts.issuedOn)}</text>` : '',
    `</g>`,
    `</svg>`,
  ].join('');
}

async function svgToPng(svg: Buffer | string): Promise<Buffer> {
  try {
    return await sharp(Buffer.from(svg), { density: 96, limitInputPixels: 4096 * 4096 })
      .resize({ width: size, height: size, fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png()
      .toBuffer();
  } catch (error) {
    throw new VcError('invalid-image', `The badge image could not be drawn: ${(error as Error).message}`);
  }
}

async function pngSize(png: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(png).metadata();
  return { width: meta.width ?? size, height: meta.height ?? size };
}

/** A baked PNG badge for the credential (its JSON, or its compact JWT). */
export async function bakedPng(facts: BadgeFacts, content: BakedContent): Promise<Buffer> {
  const inline = facts.inlineImage;
  if (inline?.kind === 'png') {
    try {
      return Buffer.from(bakePng(inline.bytes, content));
    } catch {
      // Damaged, or already holding a credential: draw our own instead.
    }
  }
  if (inline?.kind === 'svg') {
    try {
      // Checked like a baked SVG would be (no scripts, no DOCTYPE) before librsvg reads it.
      bakeSvg(inline.bytes, content);
      return Buffer.from(bakePng(await svgToPng(inline.bytes), content));
    } catch {
      // Not a usable SVG: draw our own.
    }
  }
  return Buffer.from(bakePng(await svgToPng(renderBadgeSvg(facts)), content));
}

/** A baked SVG badge: the inline SVG, an SVG framing the inline PNG, or the drawn badge. */
export async function bakedSvg(facts: BadgeFacts, content: BakedContent): Promise<string> {
  const inline = facts.inlineImage;
  if (inline?.kind === 'svg') {
    try {
      return bakeSvg(inline.bytes, content);
    } catch {
      // Refused (a script, a DOCTYPE, already baked) or not well-formed: draw our own.
    }
  }
  if (inline?.kind === 'png') {
    try {
      const { width, height } = await pngSize(inline.bytes);
      const label = escapeXml(`${facts.achievementName}, issued by ${facts.issuerName}`);
      const framed =
        `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="badge-title">` +
        `<title id="badge-title">${label}</title>` +
        `<image width="${width}" height="${height}" xlink:href="data:image/png;base64,${inline.bytes.toString('base64')}"/></svg>`;
      return bakeSvg(framed, content);
    } catch {
      // An undecodable PNG: draw our own.
    }
  }
  return bakeSvg(renderBadgeSvg(facts), content);
}
