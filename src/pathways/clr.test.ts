import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import clrSchema from '../vc/schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };
import { signEddsaRdfc2022, verifyEddsaRdfc2022 } from '../vc/data-integrity.js';
import { generateEd25519KeyPair } from '../vc/multikey.js';
import { pathwayClr } from './clr.js';

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(clrSchema);

const achievement = (id: string) => ({
  id: `https://skillproof.test/achievements/${id}/versions/1`,
  type: ['Achievement'],
  name: `Achievement ${id}`,
  description: 'Does things.',
  criteria: { narrative: 'Did them.' },
});
const credential = (n: number, id: string) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: `Credential ${n}`,
  issuer: { id: 'did:web:issuer.example', type: ['Profile'], name: 'Issuer' },
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { type: ['AchievementSubject'], achievement: achievement(id) },
  proof: {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-rdfc-2022',
    created: '2026-01-01T00:00:00Z',
    verificationMethod: 'did:web:issuer.example#key-1',
    proofPurpose: 'assertionMethod',
    proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKFkoRvqxTZdnZqkfA',
  },
});

const input = {
  id: 'urn:uuid:11111111-1111-4111-8111-111111111111',
  issuer: { did: 'did:web:skillproof.test', name: 'Skillproof', url: 'https://skillproof.test' },
  learnerEmail: 'grace@example.org',
  salt: 'pepper',
  pathwayTitle: 'Cloud Data Engineering',
  destination: credential(1, 'dest'),
  components: [
    { key: 'sql', credential: credential(2, 'sql') },
    { key: 'streams', credential: credential(3, 'streams') },
  ],
  prerequisites: [
    { before: 'sql', after: 'streams' },
    { before: 'streams', after: 'not-held' },
  ],
  validFrom: '2026-12-07T10:00:00Z',
};
const url = (id: string) => achievement(id).id;

describe('pathwayClr', () => {
  it('embeds the destination and the components with their proofs, related by parent, child and order', () => {
    const clr = pathwayClr(input);
    const subject = clr.credentialSubject as Record<string, unknown>;
    expect(subject.verifiableCredential).toEqual([
      input.destination,
      input.components[0]!.credential,
      input.components[1]!.credential,
    ]);
    expect((subject.achievement as { id: string }[]).map((a) => a.id)).toEqual([
      url('dest'),
      url('sql'),
      url('streams'),
    ]);
    expect(subject.association).toEqual([
      { type: 'Association', associationType: 'isParentOf', sourceId: url('dest'), targetId: url('sql') },
      { type: 'Association', associationType: 'isChildOf', sourceId: url('sql'), targetId: url('dest') },
      { type: 'Association', associationType: 'isParentOf', sourceId: url('dest'), targetId: url('streams') },
      { type: 'Association', associationType: 'isChildOf', sourceId: url('streams'), targetId: url('dest') },
      { type: 'Association', associationType: 'precedes', sourceId: url('sql'), targetId: url('streams') },
    ]);
    expect(clr.name).toBe('Pathway: Cloud Data Engineering');
  });

  it('validates against the CLR 2.0 schema and verifies once signed', async () => {
    const keys = generateEd25519KeyPair();
    const signed = await signEddsaRdfc2022(pathwayClr(input), keys.privateKey!, {
      verificationMethod: 'did:web:skillproof.test#key-1',
    });
    expect(validate(signed), JSON.stringify(validate.errors)).toBe(true);
    const proof = [signed.proof].flat()[0]!;
    expect((await verifyEddsaRdfc2022(signed, proof, keys.publicKey)).verified).toBe(true);
    // Changing an association breaks the signature.
    const tampered = structuredClone(signed) as unknown as {
      credentialSubject: { association: { associationType: string }[] };
    };
    tampered.credentialSubject.association[0]!.associationType = 'isChildOf';
    expect((await verifyEddsaRdfc2022(tampered, proof, keys.publicKey)).verified).toBe(false);
  });
});
