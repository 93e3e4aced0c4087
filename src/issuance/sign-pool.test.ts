import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlDefinition } from '../../test/helpers/definitions.js';
import { toAchievement } from '../catalog/definition.js';
import { DomainError } from '../platform/errors.js';
import { verifyEddsaRdfc2022, type DataIntegrityProof } from '../vc/data-integrity.js';
import { statusEntry } from '../vc/status-list.js';
import { awardCredential } from './award.js';
import { createSignPool } from './sign-pool.js';
import { inflateDocument } from './stored-document.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const did = 'did:web:skillproof.test:orgs:pool';
const achievement = toAchievement(sqlDefinition(), {
  id: 'https://skillproof.test/achievements/a/versions/1',
  version: 1,
});
const profile = { id: did, type: ['Profile'], name: 'Pool Academy' } as never;
const pool = createSignPool({ size: 2 });
afterAll(() => pool.close());

function item(
  i: number,
  input: unknown = awardCredential({ achievement, recipient: { email: `l${i}@example.org` }, awardedAt: new Date() }),
) {
  return {
    input,
    credentialId: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    validFrom: '2026-01-01T00:00:00Z',
    status: [
      statusEntry('https://skillproof.test/status-lists/l', 'revocation', i) as unknown as Record<string, unknown>,
    ],
  };
}

describe('the signing pool', () => {
  it('completes, checks and signs credentials on its threads, each verifying with the public key', async () => {
    const tasks = [0, 1, 2, 3].map((t) =>
      pool.sign({
        privateKey,
        verificationMethod: `${did}#key-1`,
        did,
        profile,
        items: [0, 1, 2].map((i) => item(t * 10 + i)),
      }),
    );
    const signed = (await Promise.all(tasks)).flat();
    expect(signed).toHaveLength(12);
    for (const [n, result] of signed.entries()) {
      const document = JSON.parse(inflateDocument(result.document)) as {
        id: string;
        issuer: { id: string };
        proof: DataIntegrityProof;
      };
      expect(result.credentialId).toBe(document.id);
      expect(document.id).toBe(item(Math.floor(n / 3) * 10 + (n % 3)).credentialId);
      expect(document.issuer.id).toBe(did);
      const check = await verifyEddsaRdfc2022(document, document.proof, publicKey);
      expect(check.verified, check.error).toBe(true);
      // Tampering breaks it: the proof covers what the thread signed.
      const tampered = { ...document, name: 'Something else' };
      expect((await verifyEddsaRdfc2022(tampered, document.proof, publicKey)).verified).toBe(false);
    }
  });

  it('refuses a task whose credential is not valid with the problem, as an invalid-input error', async () => {
    const bad = { ...awardCredential({ achievement, recipient: { email: 'x@example.org' }, awardedAt: new Date() }) };
    bad.credentialStatus = { id: 'mine' };
    const refused = pool.sign({
      privateKey,
      verificationMethod: `${did}#key-1`,
      did,
      profile,
      items: [item(1), item(2, bad)],
    });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('credentialStatus'),
    });
  });
});
