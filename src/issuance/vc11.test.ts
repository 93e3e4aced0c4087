import { describe, expect, it } from 'vitest';
import { prepareCredential } from './prepare.js';
import { checkDataModel } from '../vc/data-model.js';
import { signEddsaRdfc2022 } from '../vc/data-integrity.js';
import { createMethodResolver } from '../vc/did.js';
import { generateEd25519KeyPair } from '../vc/multikey.js';
import { verifyCredential } from '../vc/verify.js';

/** Verifiable Credentials Data Model 1.1: read (eddsa-rdfc-2022, Ed25519Signature2020, VC-JWT) and issued. */
const v1 = 'https://www.w3.org/2018/credentials/v1';
const pair = generateEd25519KeyPair();
const did = `did:key:${pair.publicKeyMultibase}`;
const vm = `${did}#${pair.publicKeyMultibase}`;

const vc11 = (overrides: Record<string, unknown> = {}) => ({
  '@context': [v1],
  type: ['VerifiableCredential'],
  issuer: did,
  credentialSubject: { id: 'did:example:subject' },
  ...overrides,
});

describe('the VC 1.1 data model', () => {
  it('accepts a VC 1.1 credential with its issuanceDate, and asks for one without', () => {
    expect(checkDataModel(vc11({ issuanceDate: '2020-03-16T22:37:26.544Z' }))).toEqual([]);
    expect(checkDataModel(vc11({ issuanceDate: '2020-03-16T22:37:26' }))).toEqual([]);
    expect(checkDataModel(vc11())).toContain('A VC 1.1 credential must have an issuanceDate.');
    expect(checkDataModel(vc11({ issuanceDate: 'yesterday' }))).toContain(
      'Its issuanceDate must be a date and time (like 2026-01-31T12:00:00Z).',
    );
  });
});

describe('issuing and verifying VC 1.1', () => {
  const profile = { id: did, type: ['Profile'], name: 'N' } as never;
  const status = {
    id: 'https://skillproof.test/status-lists/a#7',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '7',
    statusListCredential: 'https://skillproof.test/status-lists/a',
  };

  it('fills issuanceDate, adds the Data Integrity and status contexts, and the result verifies', async () => {
    const prepared = prepareCredential(
      vc11(),
      { did, profile },
      {
        credentialId: 'urn:uuid:3e0457df-b198-4ecc-9819-74d4d69c4d8f',
        validFrom: '2026-01-01T00:00:00Z',
        status: [status],
      },
    );
    expect(prepared.issuanceDate).toBe('2026-01-01T00:00:00Z');
    expect(prepared.validFrom).toBeUndefined();
    expect(prepared['@context']).toEqual([
      v1,
      'https://w3id.org/security/data-integrity/v2',
      'https://www.w3.org/ns/credentials/status/v1',
    ]);
    const signed = await signEddsaRdfc2022(prepared, pair.privateKey!, { verificationMethod: vm });
    const result = await verifyCredential(signed, { resolveMethod: createMethodResolver() }, { checkStatus: false });
    expect(result.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(result.checks.find((c) => c.id === 'data-model')?.message).toContain('1.1');
  });
});
