import { describe, expect, it } from 'vitest';
import { achievementCredential } from '../../test/helpers/credentials.js';
import { edited, pathsIn, removed, type Json } from '../../test/helpers/json-edits.js';
import { signEddsaRdfc2022 } from './data-integrity.js';
import { createMethodResolver } from './did.js';
import { signCredentialJwt, verifyCredentialJwt } from './jwt.js';
import { generateEd25519KeyPair } from './multikey.js';
import { verifyCredential } from './verify.js';

/**
 * Every single change to a signed credential must break it: for each path in the document, change the
 * value, remove it, and add a sibling property. Enumerated exhaustively, not sampled.
 */
function changed(value: Json): Json {
  if (typeof value === 'string') return value + 'x';
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (value === null) return 'x';
  if (Array.isArray(value)) return [...value, 'x'];
  return { ...value, tampered: 'x' };
}

function mutations(document: Json): { label: string; document: Json }[] {
  const result: { label: string; document: Json }[] = [];
  for (const path of pathsIn(document)) {
    const label = path.join('.');
    result.push({
      label: `change ${label}`,
      document: edited(document, path, (parent, key) => {
        (parent as Record<string, Json>)[key as string] = changed((parent as Record<string, Json>)[key as string]!);
      }),
    });
    result.push({
      label: `remove ${label}`,
      document: removed(document, path),
    });
    const last = path.at(-1);
    if (typeof last === 'string') {
      result.push({
        label: `add beside ${label}`,
        document: edited(document, path, (parent) => {
          (parent as Record<string, Json>).description = 'added after signing';
        }),
      });
    }
  }
  // Adding a property at the top level, defined by the contexts (so safe mode alone would not catch it).
  result.push({ label: 'add description', document: { ...(document as Record<string, Json>), description: 'added' } });
  return result.filter((m) => JSON.stringify(m.document) !== JSON.stringify(document));
}

const key = generateEd25519KeyPair();
const did = `did:key:${key.publicKeyMultibase}`;
const deps = { resolveMethod: createMethodResolver() };
const unsigned = achievementCredential({
  id: 'urn:uuid:7f1c6d2e-1a4b-4c3d-9e8f-0a1b2c3d4e5f',
  issuer: { id: did, type: ['Profile'], name: 'Tamper Test Issuer' },
  validFrom: '2026-01-01T00:00:00Z',
});

describe('tampering with a Data Integrity credential', async () => {
  const signed = (await signEddsaRdfc2022(unsigned, key.privateKey!, {
    verificationMethod: `${did}#${key.publicKeyMultibase}`,
    created: '2026-01-01T00:00:00Z',
  })) as unknown as Json;

  it('verifies untouched', async () => {
    expect((await verifyCredential(signed, deps)).verified).toBe(true);
  });

  const cases = mutations(signed);
  it(`has many single changes to try (${cases.length})`, () => expect(cases.length).toBeGreaterThan(100));

  it.each(cases.map((c) => [c.label, c.document] as const))('%s breaks verification', async (_label, document) => {
    expect((await verifyCredential(document, deps)).verified).toBe(false);
  });
});

describe('tampering with a VC-JWT', async () => {
  const jwt = await signCredentialJwt(unsigned, {
    privateKey: key.privateKey!,
    algorithm: 'EdDSA',
    kid: `${did}#${key.publicKeyMultibase}`,
  });
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Json;

  it('verifies untouched', async () => {
    expect((await verifyCredentialJwt(jwt, deps)).verified).toBe(true);
  });

  it.each(mutations(claims).map((c) => [c.label, c.document] as const))(
    '%s breaks verification',
    async (_label, document) => {
      const forged = `${header}.${Buffer.from(JSON.stringify(document)).toString('base64url')}.${signature}`;
      const result = await verifyCredentialJwt(forged, deps).catch(() => ({ verified: false }));
      expect(result.verified).toBe(false);
    },
  );
});
