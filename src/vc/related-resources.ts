import { contextUrls } from './contexts.js';
import { decodeMultibaseBase58 } from './multikey.js';

/**
 * Digests of the resources Skillproof holds whose published bytes are known, by URL and algorithm (hex). A
 * relatedResource naming one of them must carry the same digest (VC DM 2.0 §5.3): a different one means the
 * credential was written for other bytes than the ones everybody gets.
 *
 * The bundled copies of contexts are parsed JSON (the npm packages' files are not the published bytes), so the
 * digests are recorded here, computed from the bytes the W3C publishes at each URL: the specification
 * repositories' context files at the commit that was published (test/fixtures/standards/contexts has the bytes
 * and their provenance, and the tests recompute every value). For the VC 2.0 base context these bytes give the
 * SHA-256 that VC DM 2.0 Appendix B.1 states and the SHA-384 of the W3C VC 2.0 test suite's fixtures.
 */
const published = new Map<string, Record<Algorithm, string>>([
  [
    contextUrls.credentialsV2,
    {
      sha256: '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
      sha384: '35239c36999d2155312091af194a1edb61634d6ad789a5e5b19f2aebdd762dd9d1dcaada40eda7ef921c6b8c0ae107a0',
      sha512:
        'cb1336dfa8670d80d03344b3b0cc25faf4d45201823c35f39bb1afe5a9f911f615ff4ec80ec5f2f89e33d14e96bec8be78e38df35b918c9cd5f3b3449bd6c88f',
    },
  ],
  [
    contextUrls.credentialsV1,
    {
      sha256: 'ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc',
      sha384: '82c3b3eab863754bbfd2b9f17d8d6db9f61169f301cbf0b05e1fc4beb5f5c51dd4d2e888c274f49c3fbb2408f61faed1',
      sha512:
        '536a40b390dda94a9e39196c00090f62668e8184fe3c8c02c4a22c85666e68bf6e85d3dc7f2dba85b2b62ef95d97de24132568d8504db43f2c9c82d2e88418d2',
    },
  ],
  [
    contextUrls.dataIntegrityV2,
    {
      sha256: '67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4',
      sha384: '0ee2d7626717f8b07cd449b525d5e2b71fe27209fc99e53089e0169dd2944d793feea4526fc60bb9cca1cd96512391f6',
      sha512:
        '39cd7a9a4047b74b8524640fe35633e81e8286d14bdbb7e77d0e08d850b00d6a35b0185d5de35c479baedb23a17989d9f628ac95531fdd79c0c5a0f632d9fa95',
    },
  ],
  [
    contextUrls.multikey,
    {
      sha256: 'ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597',
      sha384: '0fa51641d12fb8c701b2e6a9492556f25d32bb4af84a96f11808f0a623b972434dd18a8f1f1865bc68d8ee046c4e5a3e',
      sha512:
        '127d1338ea7f702d745ed5bf6900eda8aac4419da5463181fca02c27e05085106e7d3eece9ea0e156bcff5c3f99eead397785c453bc579f7dd5496a991e10b5f',
    },
  ],
  [
    contextUrls.statusList,
    {
      sha256: 'fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7',
      sha384: 'ac0ef813833ebd666b6170a61c5adacc6d7d2f5a040d16c2928e8414d4fa07f64d70313021e02bf4f97bdd123ed9a84e',
      sha512:
        'ff2ca7667b990373b46b12535e6b8de8eae270143278715ad935b159216521e514cb1ccd8517410a2429527e24d8fc96f88f8b734887a2602e6ee07b83b66fed',
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
