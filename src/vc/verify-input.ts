import { imageKind, unbake, type BakedContent } from './baking.js';
import { isOb2Assertion, isOb2Jws, verifyOb2 } from './ob2.js';
import { isEnvelope, unwrapEnvelope } from './envelope.js';
import { VcError } from './errors.js';
import { decodeCredentialJwt, looksLikeJwt, verifyCredentialJwt, type DecodedFormat } from './jwt.js';
import { verifyCredential, type VerificationResult, type VerifierDeps } from './verify.js';

/** What a person hands a verifier: pasted text (JSON or a JWT), a parsed JSON value, or a file's bytes. */
export type VerifierInput = { text: string } | { json: unknown } | { bytes: Uint8Array };

export type InputFormat = 'json' | DecodedFormat | 'ob2';

export interface InputVerification extends VerificationResult {
  /** How the credential arrived. */
  format: InputFormat;
  /** Whether it came out of a baked image. */
  baked?: 'png' | 'svg';
  /** The credential as verified (for a JWT, the credential it carries). */
  credential?: Record<string, unknown>;
  /** The compact JWS, when the credential was a VC-JWT. */
  jwt?: string;
}

export const inputLimits = {
  /** Largest credential document accepted, in bytes. */
  maxDocumentBytes: 1024 * 1024,
  /** Deepest JSON nesting accepted. */
  maxDepth: 64,
};

/** How deeply a value nests, counted up to `limit + 1` (recursion never goes deeper than that). */
function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || !value || typeof value !== 'object') return depth;
  let max = depth;
  for (const child of Object.values(value)) {
    const childDepth = depthOf(child, limit, depth + 1);
    if (childDepth > max) max = childDepth;
    if (max > limit) break;
  }
  return max;
}

export function parseCredentialJson(text: string): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > inputLimits.maxDocumentBytes) {
    throw new VcError('invalid-document', `The credential is larger than ${inputLimits.maxDocumentBytes / 1024} KiB.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VcError('invalid-document', 'This is not valid JSON, nor a JWT, nor a baked badge image.');
  }
  return checkDocument(value);
}

function checkDocument(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new VcError('invalid-document', 'A credential is a JSON object.');
  }
  if (depthOf(value, inputLimits.maxDepth) > inputLimits.maxDepth) {
    throw new VcError('invalid-document', `The credential is nested more than ${inputLimits.maxDepth} levels deep.`);
  }
  return value as Record<string, unknown>;
}

function notAnSvg(markup: string): VcError {
  return /<!DOCTYPE/i.test(markup.slice(0, 2048))
    ? new VcError('invalid-image', 'The SVG declares a DOCTYPE, which is refused (it could define external entities).')
    : new VcError('invalid-image', 'The text is markup but not an SVG image, so it holds no credential we can read.');
}

/** A JSON document as content: the credential itself, or the VC-JWT an enveloped credential holds. */
function jsonContent(credential: Record<string, unknown>): BakedContent {
  return isEnvelope(credential) ? { kind: 'jwt', jwt: unwrapEnvelope(credential) } : { kind: 'json', credential };
}

/** Reads whatever was given into a credential or JWT, without verifying it. */
export function readInput(input: VerifierInput): { content: BakedContent; baked?: 'png' | 'svg' } {
  if ('json' in input) return { content: jsonContent(checkDocument(input.json)) };
  if ('text' in input) {
    const text = input.text.trim();
    if (looksLikeJwt(text)) return { content: { kind: 'jwt', jwt: text } };
    if (text.startsWith('<')) {
      const bytes = new TextEncoder().encode(text);
      // Markup that is not an SVG must stop here: handing it back as bytes would come round to text again.
      if (imageKind(bytes) !== 'svg') throw notAnSvg(text);
      return readInput({ bytes });
    }
    return { content: jsonContent(parseCredentialJson(text)) };
  }
  if (input.bytes.length > 16 * inputLimits.maxDocumentBytes) {
    throw new VcError('invalid-image', 'The file is larger than 16 MiB.');
  }
  const kind = imageKind(input.bytes);
  if (kind) {
    const content = unbake(input.bytes);
    if (content.kind === 'json') checkDocument(content.credential);
    return { content, baked: kind };
  }
  return readInput({ text: Buffer.from(input.bytes).toString('utf8') });
}

/** Verifies any supported input: a credential's JSON, a VC-JWT, or a PNG or SVG with either baked in. */
export async function verifyInput(input: VerifierInput, deps: VerifierDeps): Promise<InputVerification> {
  const { content, baked } = readInput(input);
  const extra = baked ? { baked } : {};
  if (
    content.kind === 'ob2' ||
    (content.kind === 'jwt' && isOb2Jws(content.jwt)) ||
    (content.kind === 'json' && isOb2Assertion(content.credential))
  ) {
    return { ...(await verifyOb2Content(content, deps)), ...extra, format: 'ob2' };
  }
  if (content.kind === 'jwt') {
    const result = await verifyCredentialJwt(content.jwt, deps);
    return { ...result, ...extra, jwt: content.jwt, credential: decodeCredentialJwt(content.jwt).credential };
  }
  const result = await verifyCredential(content.credential, deps);
  return { ...result, ...extra, format: 'json', credential: content.credential };
}

/** An Open Badges 2.0 assertion: its JSON, its JWS, or (from a baked image) the URL it is hosted at. */
async function verifyOb2Content(content: BakedContent, deps: VerifierDeps): Promise<InputVerification> {
  if (!deps.fetchOb2)
    throw new VcError('unsupported', 'Open Badges 2.0 assertions can only be checked with network access.');
  const now = deps.now?.() ?? new Date();
  if (content.kind === 'jwt')
    return { ...(await verifyOb2(content.jwt, deps.fetchOb2, now)), format: 'ob2', jwt: content.jwt };
  if (content.kind === 'json')
    return {
      ...(await verifyOb2(content.credential, deps.fetchOb2, now)),
      format: 'ob2',
      credential: content.credential,
    };
  const value = content.value;
  if (looksLikeJwt(value)) return { ...(await verifyOb2(value, deps.fetchOb2, now)), format: 'ob2', jwt: value };
  if (/^https?:\/\//.test(value)) {
    const response = await deps.fetchOb2(value);
    if (!response.json || typeof response.json !== 'object')
      throw new VcError('invalid-document', `${value} serves no assertion.`);
    const assertion = response.json as Record<string, unknown>;
    return { ...(await verifyOb2(assertion, deps.fetchOb2, now)), format: 'ob2', credential: assertion };
  }
  const assertion = parseCredentialJson(value);
  return { ...(await verifyOb2(assertion, deps.fetchOb2, now)), format: 'ob2', credential: assertion };
}
