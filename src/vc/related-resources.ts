import { contextUrls } from './contexts.js';
import { decodeMultibaseBase58 } from './multikey.js';

/**
 * Digests of the resources Skillproof holds whose published bytes are known, by URL and algorithm (hex). A
 * relatedResource naming one of them must carry the same digest (VC DM 2.0 §5.3): a different one means the
 * credential was written for other bytes than the ones everybody gets.
 *
 * The bundled copies of contexts are parsed JSON, so their digests are not computed here but recorded from
 * where the publisher states them: the VC 2.0 base context's SHA-256 from VC DM 2.0 Appendix B.1, and its
 * SHA-384 from the W3C VC 2.0 test suite's fixtures (the SRI the W3C gives for the same bytes).
 */
const published = new Map<string, Partial<Record<Algorithm, string>>>([
  [
    contextUrls.credentialsV2,
    {
      sha256: '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
      sha384: '35239c36999d2155312091af194a1edb61634d6ad789a5e5b19f2aebdd762dd9d1dcaada40eda7ef921c6b8c0ae107a0',
    },
  ],
]);

type Algorithm = 'sha256' | 'sha384' | 'sha512';
const lengths: Record<number, Algorithm> = { 32: 'sha256', 48: 'sha384', 64: 'sha512' };
// Multihash codes (multicodec table) of the SHA-2 digests.
const multihash: Record<number, Algorithm> = { 0x12: 'sha256', 0x20: 'sha384', 0x13: 'sha512' };

function decodeMultibase(value: string): Uint8Array | undefined {
  try {
    if (value.startsWith('u')) return Buffer.from(value.slice(1), 'base64url');
    if (value.startsWith('m')) return Buffer.from(value.slice(1), 'base64');
    if (value.startsWith('z')) return decodeMultibaseBase58(value, 'digest');
  } catch {
    return undefined;
  }
  return undefined;
}

/** A digestMultibase as algorithm and hex: a multihash, or a bare SHA-2 digest told apart by its length. */
function fromMultibase(value: string): { algorithm: Algorithm; hex: string } | undefined {
  const bytes = decodeMultibase(value);
  if (!bytes) return undefined;
  const code = bytes[0]!;
  if (multihash[code] && bytes[1] === bytes.length - 2 && lengths[bytes.length - 2] === multihash[code]) {
    return { algorithm: multihash[code], hex: Buffer.from(bytes.subarray(2)).toString('hex') };
  }
  const algorithm = lengths[bytes.length];
  return algorithm ? { algorithm, hex: Buffer.from(bytes).toString('hex') } : undefined;
}

/**
 * Why a relatedResource's digests do not match the resource, when it is one whose digests are known;
 * undefined when they match, or when the resource is not one of those.
 */
export function relatedResourceMismatch(resource: {
  id?: unknown;
  digestSRI?: unknown;
  digestMultibase?: unknown;
}): string | undefined {
  const known = typeof resource.id === 'string' ? published.get(resource.id) : undefined;
  if (!known) return undefined;
  const id = resource.id as string;
  for (const sri of [resource.digestSRI].flat()) {
    if (typeof sri !== 'string') continue;
    const dash = sri.indexOf('-');
    const algorithm = sri.slice(0, dash) as Algorithm;
    const expected = known[algorithm];
    if (expected && Buffer.from(sri.slice(dash + 1), 'base64').toString('hex') !== expected) {
      return `relatedResource ${id} has a digestSRI that does not match that resource.`;
    }
  }
  for (const multibase of [resource.digestMultibase].flat()) {
    if (typeof multibase !== 'string') continue;
    const digest = fromMultibase(multibase);
    if (!digest) return `relatedResource ${id} has a digestMultibase that is not a SHA-2 digest.`;
    const expected = known[digest.algorithm];
    if (expected && digest.hex !== expected) {
      return `relatedResource ${id} has a digestMultibase that does not match that resource.`;
    }
  }
  return undefined;
}
