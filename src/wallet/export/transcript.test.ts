import { createHash } from 'node:crypto';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import clrSchema from '../../vc/schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };
import { generateEd25519KeyPair } from '../../vc/multikey.js';
import { signEddsaRdfc2022, verifyEddsaRdfc2022 } from '../../vc/data-integrity.js';
import { buildTranscript, embeddable } from './transcript.js';

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(clrSchema);

function achievement(id: string, prerequisites: string[] = []) {
  return {
    id,
    type: ['Achievement'],
    name: `Achievement ${id}`,
    description: 'Does things.',
    criteria: { narrative: 'Did them.' },
    alignment: prerequisites.map((url) => ({
      type: ['Alignment'],
      targetType: 'ext:Prerequisite',
      targetName: 'Prerequisite',
      targetUrl: url,
    })),
  };
}

function credential(n: number, achievementValue: Record<string, unknown>) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `Credential ${n}`,
    issuer: { id: 'did:web:issuer.example', type: ['Profile'], name: 'Issuer' },
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { type: ['AchievementSubject'], achievement: achievementValue },
    proof: {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-01-01T00:00:00Z',
      verificationMethod: 'did:web:issuer.example#key-1',
      proofPurpose: 'assertionMethod',
      proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKFkoRvqxTZdnZqkfA',
    },
  };
}

const intro = achievement('https://example.org/achievements/intro');
const advanced = achievement('https://example.org/achievements/advanced', [intro.id, 'https://elsewhere.example/x']);
const input = {
  id: 'urn:uuid:11111111-1111-4111-8111-111111111111',
  issuer: { did: 'did:web:skillproof.test', name: 'Skillproof', url: 'https://skillproof.test' },
  learnerEmail: ' Grace@Example.org ',
  salt: 'pepper',
  credentials: [credential(1, intro), credential(2, advanced), credential(3, intro)],
  partial: false,
  validFrom: '2026-11-22T10:00:00Z',
};

describe('CLR 2.0 transcript', () => {
  it('is a valid ClrCredential embedding exactly the credentials given', () => {
    const transcript = buildTranscript(input);
    expect(validate(transcript), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const subject = transcript.credentialSubject as Record<string, unknown[]>;
    expect(subject.verifiableCredential).toEqual(input.credentials);
    // Each achievement once, however many credentials assert it.
    expect(subject.achievement).toEqual([intro, advanced]);
    expect(transcript.validFrom).toBe(input.validFrom);
    expect(transcript.partial).toBe(false);
  });

  it('names the learner by a salted hash of the normalized email only', () => {
    const transcript = buildTranscript(input);
    const [identity] = (transcript.credentialSubject as { identifier: Record<string, unknown>[] }).identifier;
    const expected = createHash('sha256')
      .update('grace@example.org' + 'pepper')
      .digest('hex');
    expect(identity).toEqual({
      type: 'IdentityObject',
      hashed: true,
      identityHash: `sha256$${expected}`,
      identityType: 'emailAddress',
      salt: 'pepper',
    });
    expect(JSON.stringify(transcript).toLowerCase()).not.toContain('grace@example.org');
  });

  it('relates a held prerequisite to the achievement that requires it, and nothing it does not hold', () => {
    const subject = buildTranscript(input).credentialSubject as { association?: unknown[] };
    expect(subject.association).toEqual([
      { type: 'Association', associationType: 'precedes', sourceId: intro.id, targetId: advanced.id },
    ]);
    const alone = buildTranscript({ ...input, credentials: [credential(2, advanced)] });
    expect((alone.credentialSubject as { association?: unknown }).association).toBeUndefined();
  });

  it('signs and verifies with eddsa-rdfc-2022 over the bundled CLR context', async () => {
    const keys = generateEd25519KeyPair();
    const signed = await signEddsaRdfc2022(buildTranscript(input), keys.privateKey!, {
      verificationMethod: 'did:web:skillproof.test#key',
    });
    expect(validate(signed)).toBe(true);
    const proof = [signed.proof].flat()[0]!;
    expect((await verifyEddsaRdfc2022(signed, proof, keys.publicKey)).verified).toBe(true);
    const changed = structuredClone(signed);
    (changed.credentialSubject as { verifiableCredential: { name: string }[] }).verifiableCredential[1]!.name = 'x';
    expect((await verifyEddsaRdfc2022(changed, proof, keys.publicKey)).verified).toBe(false);
  });

  it('tells which credentials cannot be embedded', () => {
    expect(embeddable(credential(1, intro))).toBeUndefined();
    expect(embeddable({ ...credential(1, intro), '@context': ['https://www.w3.org/2018/credentials/v1'] })).toMatch(
      /VC 1\.1/,
    );
    expect(embeddable({ ...credential(1, intro), type: ['VerifiableCredential'] })).toMatch(/Open Badges 3\.0/);
    const { proof: _proof, ...unsigned } = credential(1, intro);
    expect(embeddable(unsigned)).toMatch(/no embedded proof/);
  });
});
