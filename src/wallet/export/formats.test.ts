import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { unbake } from '../../vc/baking.js';
import { signCredentialJwt } from '../../vc/jwt.js';
import { generateEd25519KeyPair } from '../../vc/multikey.js';
import type { Holding } from '../wallet.js';
import { createExporter, safeFilename, unavailableReason } from './formats.js';

const keyPair = generateEd25519KeyPair();
const signer = {
  did: 'did:web:issuer.example',
  verificationMethod: 'did:web:issuer.example#key-1',
  algorithm: 'Ed25519' as const,
  privateKey: keyPair.privateKey!,
};
const exporter = createExporter({ keys: { signer: async () => signer } });

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:1',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: 'did:web:issuer.example', name: 'Issuer' },
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { type: ['AchievementSubject'], achievement: { id: 'https://a.example', name: 'SQL' } },
};

function holding(overrides: Partial<Holding>): Holding {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'imported',
    userId: 'u',
    format: 'ldp_vc',
    document: JSON.stringify(credential),
    name: 'SQL',
    addedAt: new Date(),
    ...overrides,
  };
}

const options = { privateKey: signer.privateKey, algorithm: 'EdDSA' as const, kid: signer.verificationMethod };

describe('export formats', () => {
  it('makes safe file names from any achievement name', () => {
    expect(safeFilename('Café <b>SQL</b> & Co!', 'png')).toBe('cafe-b-sql-b-co.png');
    expect(safeFilename('"; rm -rf /', 'json')).toBe('rm-rf.json');
    expect(safeFilename('日本語', 'svg')).toBe('credential.svg');
    expect(safeFilename(null, 'jwt')).toBe('credential.jwt');
    expect(safeFilename('x'.repeat(200), 'png')).toHaveLength(64);
  });

  it('gives a JWT payload as JSON only when it is the credential itself (VC-JOSE-COSE)', async () => {
    const plain = holding({
      format: 'jwt',
      document: await signCredentialJwt(credential, { ...options, format: 'vc+jwt' }),
    });
    expect(unavailableReason(plain, 'json')).toBeUndefined();
    const file = await exporter.exportHolding(plain, 'json');
    expect(JSON.parse(file.body.toString())).toEqual(credential);

    const ob3 = holding({ format: 'jwt', document: await signCredentialJwt(credential, options) });
    await expect(exporter.exportHolding(ob3, 'json')).rejects.toMatchObject({ code: 'conflict' });
    const png = await exporter.exportHolding(ob3, 'png');
    expect(unbake(png.body)).toEqual({ kind: 'jwt', jwt: ob3.document });
  });

  it('keeps Open Badges 2.0 assertions as received, and bakes nothing from them', async () => {
    const ob2 = holding({ format: 'ob2', document: '{"type":"Assertion"}', name: 'Old badge' });
    const file = await exporter.exportHolding(ob2, 'json');
    expect(file.body.toString()).toBe('{"type":"Assertion"}');
    expect(file.filename).toBe('old-badge.json');
    for (const format of ['jwt', 'png', 'svg'] as const) {
      await expect(exporter.exportHolding(ob2, format)).rejects.toBeInstanceOf(DomainError);
    }
  });

  it('refuses to re-sign an imported credential, and says why rather than failing on a damaged one', async () => {
    await expect(exporter.exportHolding(holding({}), 'jwt')).rejects.toThrow(/only the issuer can sign/);
    const damaged = holding({ format: 'jwt', document: 'not.a.jwt' });
    await expect(exporter.exportHolding(damaged, 'png')).rejects.toMatchObject({ code: 'conflict' });
  });
});
