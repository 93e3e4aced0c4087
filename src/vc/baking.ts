import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { VcError } from './errors.js';

/**
 * Baking per Open Badges 3.0 section 5.3: the credential (its JSON, or a VC-JWT) travels inside the badge
 * image — a PNG `iTXt` chunk with keyword `openbadgecredential`, or an SVG `<openbadges:credential>` element.
 */
export const pngKeyword = 'openbadgecredential';
export const svgNamespace = 'https://purl.imsglobal.org/ob/v3p0';
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Open Badges 2.0 used these; recognizing them lets us say what the image holds instead of "nothing".
const ob2PngKeyword = 'openbadges';
const ob2Namespace = 'http://openbadges.org';

export type BakedContent =
  | { kind: 'json'; credential: Record<string, unknown> }
  | { kind: 'jwt'; jwt: string }
  /** An Open Badges 2.0 image: the assertion's JSON, its JWS, or the URL of a hosted assertion. */
  | { kind: 'ob2'; value: string };

/** The text to bake: a credential's JSON, or a compact JWS. */
function payloadText(content: BakedContent): string {
  if (content.kind === 'ob2') throw new VcError('invalid-image', 'Skillproof bakes Open Badges 3.0 credentials only.');
  return content.kind === 'jwt' ? content.jwt : JSON.stringify(content.credential);
}

function parsePayload(text: string, where: string): BakedContent {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(trimmed)) return { kind: 'jwt', jwt: trimmed };
  try {
    const credential = JSON.parse(trimmed) as unknown;
    if (credential && typeof credential === 'object' && !Array.isArray(credential)) {
      return { kind: 'json', credential: credential as Record<string, unknown> };
    }
  } catch {
    // fall through to the error below
  }
  throw new VcError('invalid-image', `The ${where} holds text that is neither a credential's JSON nor a JWT.`);
}

export function imageKind(bytes: Uint8Array): 'png' | 'svg' | undefined {
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(pngSignature)) return 'png';
  const head = Buffer.from(bytes.subarray(0, 2048))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(head)) return 'svg';
  return undefined;
}

// --- PNG ---------------------------------------------------------------------------------------------

function readITXt(data: Uint8Array): { keyword: string; compressed: boolean; text: string } | undefined {
  const bytes = Buffer.from(data);
  const keywordEnd = bytes.indexOf(0);
  if (keywordEnd < 1) return undefined;
  const keyword = bytes.subarray(0, keywordEnd).toString('latin1');
  const compressed = bytes[keywordEnd + 1] === 1;
  const languageEnd = bytes.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : bytes.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  return { keyword, compressed, text: bytes.subarray(translatedEnd + 1).toString('utf8') };
}

function iTXt(keyword: string, text: string): Uint8Array {
  // keyword \0, compression flag 0 (MUST NOT compress), method 0, empty language \0, empty translation \0, text
  return Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
}

function pngChunks(bytes: Uint8Array) {
  try {
    return extractChunks(bytes);
  } catch (error) {
    throw new VcError('invalid-image', `The PNG is damaged: ${(error as Error).message}`);
  }
}

function credentialChunks(chunks: { name: string; data: Uint8Array }[]) {
  return chunks
    .filter((chunk) => chunk.name === 'iTXt' || chunk.name === 'tEXt')
    .map((chunk) => (chunk.name === 'iTXt' ? readITXt(chunk.data) : undefined))
    .filter((chunk): chunk is NonNullable<typeof chunk> => chunk?.keyword === pngKeyword);
}

/** Open Badges 1.x/2.0 used an iTXt (or tEXt) chunk with keyword "openbadges". */
function ob2PngText(chunks: { name: string; data: Uint8Array }[]): string | undefined {
  for (const chunk of chunks) {
    if (chunk.name === 'iTXt') {
      const text = readITXt(chunk.data);
      if (text?.keyword === ob2PngKeyword && !text.compressed) return text.text;
    }
    if (chunk.name === 'tEXt') {
      const bytes = Buffer.from(chunk.data);
      const end = bytes.indexOf(0);
      if (end > 0 && bytes.subarray(0, end).toString('latin1') === ob2PngKeyword)
        return bytes.subarray(end + 1).toString('latin1');
    }
  }
  return undefined;
}

export function bakePng(image: Uint8Array, content: BakedContent): Uint8Array {
  if (imageKind(image) !== 'png') throw new VcError('invalid-image', 'The image is not a PNG.');
  const chunks = pngChunks(image);
  if (credentialChunks(chunks).length > 0) {
    throw new VcError('invalid-image', 'The PNG already holds a credential; bake into the original image instead.');
  }
  const end = chunks.findIndex((chunk) => chunk.name === 'IEND');
  if (end < 0) throw new VcError('invalid-image', 'The PNG has no end chunk.');
  chunks.splice(end, 0, { name: 'iTXt', data: iTXt(pngKeyword, payloadText(content)) });
  return encodeChunks(chunks);
}

export function unbakePng(image: Uint8Array): BakedContent {
  if (imageKind(image) !== 'png') throw new VcError('invalid-image', 'The image is not a PNG.');
  const chunks = pngChunks(image);
  const found = credentialChunks(chunks);
  if (found.length > 1) {
    throw new VcError(
      'invalid-image',
      'The PNG holds more than one credential, so it is ambiguous which one it shows.',
    );
  }
  if (found.length === 0) {
    const ob2 = ob2PngText(chunks);
    if (ob2 !== undefined) return { kind: 'ob2', value: ob2.trim() };
    throw new VcError('invalid-image', 'The PNG holds no credential.');
  }
  if (found[0]!.compressed)
    throw new VcError('invalid-image', 'The baked credential is compressed, which the standard forbids.');
  return parsePayload(found[0]!.text, 'PNG');
}

// --- SVG ---------------------------------------------------------------------------------------------

interface SvgScan {
  /** Offset just after the root `<svg …>` start tag. */
  rootStartEnd: number;
  rootStartTag: string;
  credentials: { verify?: string; text: string }[];
  ob2?: { verify?: string; text: string };
}

const eventAttribute = /^on/i;

/**
 * Parses an SVG safely: no DOCTYPE (so no entity expansion or external entities), no scripts, no event
 * handler attributes, no javascript: links. Collects the credential elements.
 */
function scanSvg(svg: string): SvgScan {
  if (/<!DOCTYPE/i.test(svg)) {
    throw new VcError(
      'invalid-image',
      'The SVG declares a DOCTYPE, which is refused (it could define external entities).',
    );
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const scan: SvgScan = { rootStartEnd: -1, rootStartTag: '', credentials: [] };
  let depth = 0;
  let inCredential: { verify?: string; text: string } | undefined;
  let rootStart = -1;
  parser.on('opentagstart', () => {
    if (depth === 0) rootStart = svg.lastIndexOf('<', parser.position - 1);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (depth === 0) {
      if (tag.local !== 'svg') throw new VcError('invalid-image', 'The document is not an SVG image.');
      scan.rootStartEnd = parser.position;
      scan.rootStartTag = svg.slice(rootStart, parser.position);
    }
    depth += 1;
    if (tag.local === 'script') throw new VcError('invalid-image', 'The SVG contains a script, which is refused.');
    for (const attribute of Object.values(tag.attributes)) {
      if (eventAttribute.test(attribute.local)) {
        throw new VcError('invalid-image', `The SVG has an event handler (${attribute.name}), which is refused.`);
      }
      if (attribute.local === 'href' && /^\s*javascript:/i.test(attribute.value)) {
        throw new VcError('invalid-image', 'The SVG links to javascript:, which is refused.');
      }
    }
    if (tag.uri === svgNamespace && tag.local === 'credential') {
      inCredential = { text: '', ...(tag.attributes.verify ? { verify: tag.attributes.verify.value } : {}) };
      scan.credentials.push(inCredential);
    }
    if (tag.uri === ob2Namespace && tag.local === 'assertion' && !scan.ob2) {
      scan.ob2 = { text: '', ...(tag.attributes.verify ? { verify: tag.attributes.verify.value } : {}) };
      inCredential = scan.ob2;
    }
  });
  parser.on('text', (text) => {
    if (inCredential) inCredential.text += text;
  });
  parser.on('cdata', (text) => {
    if (inCredential) inCredential.text += text;
  });
  parser.on('closetag', (tag: SaxesTagNS) => {
    depth -= 1;
    if (
      (tag.uri === svgNamespace && tag.local === 'credential') ||
      (tag.uri === ob2Namespace && tag.local === 'assertion')
    ) {
      inCredential = undefined;
    }
  });
  try {
    parser.write(svg).close();
  } catch (error) {
    if (error instanceof VcError) throw error;
    throw new VcError('invalid-image', `The SVG is not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (scan.rootStartEnd < 0) throw new VcError('invalid-image', 'The SVG has no <svg> element.');
  return scan;
}

function decodeSvg(image: Uint8Array | string): string {
  if (typeof image === 'string') return image;
  if (imageKind(image) !== 'svg') throw new VcError('invalid-image', 'The image is not an SVG.');
  return Buffer.from(image)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function bakeSvg(image: Uint8Array | string, content: BakedContent): string {
  const svg = decodeSvg(image);
  const scan = scanSvg(svg);
  if (scan.credentials.length > 0) {
    throw new VcError('invalid-image', 'The SVG already holds a credential; bake into the original image instead.');
  }
  const hasNamespace = /\sxmlns:openbadges\s*=/.test(scan.rootStartTag);
  let rootTag = scan.rootStartTag;
  if (!hasNamespace) rootTag = rootTag.replace(/^<svg/, `<svg xmlns:openbadges="${svgNamespace}"`);
  const element =
    content.kind === 'jwt'
      ? `<openbadges:credential verify="${escapeAttribute(content.jwt)}"></openbadges:credential>`
      : // "]]>" inside the JSON would end the CDATA section early: split it across two sections.
        `<openbadges:credential><![CDATA[${payloadText(content).replaceAll(']]>', ']]]]><![CDATA[>')}]]></openbadges:credential>`;
  const rootStart = scan.rootStartEnd - scan.rootStartTag.length;
  // An empty root (<svg … />) is opened up so the credential can go inside it.
  const selfClosing = /\/\s*>$/.test(rootTag);
  if (selfClosing) rootTag = rootTag.replace(/\/\s*>$/, '>');
  const close = selfClosing ? `</${/^<([^\s/>]+)/.exec(rootTag)![1]}>` : '';
  return svg.slice(0, rootStart) + rootTag + element + close + svg.slice(scan.rootStartEnd);
}

export function unbakeSvg(image: Uint8Array | string): BakedContent {
  const scan = scanSvg(decodeSvg(image));
  if (scan.credentials.length > 1) {
    throw new VcError(
      'invalid-image',
      'The SVG holds more than one credential, so it is ambiguous which one it shows.',
    );
  }
  const found = scan.credentials[0];
  if (!found) {
    if (scan.ob2) return { kind: 'ob2', value: (scan.ob2.verify ?? scan.ob2.text).trim() };
    throw new VcError('invalid-image', 'The SVG holds no credential.');
  }
  return found.verify !== undefined ? parsePayload(found.verify, 'SVG') : parsePayload(found.text, 'SVG');
}

/** Extracts the credential from a baked PNG or SVG. */
export function unbake(image: Uint8Array): BakedContent {
  const kind = imageKind(image);
  if (kind === 'png') return unbakePng(image);
  if (kind === 'svg') return unbakeSvg(image);
  throw new VcError('invalid-image', 'The file is neither a PNG nor an SVG image.');
}

/** Bakes into a PNG or SVG, whichever the image is. */
export function bake(image: Uint8Array, content: BakedContent): Uint8Array {
  const kind = imageKind(image);
  if (kind === 'png') return bakePng(image, content);
  if (kind === 'svg') return Buffer.from(bakeSvg(image, content), 'utf8');
  throw new VcError('invalid-image', 'Only PNG and SVG images can hold a credential.');
}
