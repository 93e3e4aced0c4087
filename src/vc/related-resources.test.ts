import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardsDir } from '../../test/helpers/standards.js';
import { checkDataModel } from './data-model.js';
import { encodeMultibaseBase58 } from './multikey.js';

const v2 = 'https://www.w3.org/ns/credentials/v2';
// The base context's digests as the W3C publishes them (VC DM 2.0 Appendix B.1; the VC 2.0 test suite's fixtures).
const sri = 'sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg';
const sha256 = Buffer.from('24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9', 'hex');

const credential = (relatedResource: unknown) => ({
  '@context': [v2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
  relatedResource,
});

describe('relatedResource digests of resources Skillproof holds', () => {
  it('accepts the published digests of the VC 2.0 base context, in every encoding', () => {
    expect(checkDataModel(credential({ id: v2, digestSRI: sri }))).toEqual([]);
    expect(checkDataModel(credential({ id: v2, digestMultibase: `u${sha256.toString('base64url')}` }))).toEqual([]);
    const multihash = Buffer.concat([Buffer.from([0x12, 0x20]), sha256]);
    expect(checkDataModel(credential({ id: v2, digestMultibase: encodeMultibaseBase58(multihash) }))).toEqual([]);
    expect(checkDataModel(credential([{ id: v2, mediaType: 'application/ld+json', digestSRI: sri }]))).toEqual([]);
  });

  it('refuses a wrong digest of it, with the reason', () => {
    const other = createHash('sha384').update('something else').digest('base64');
    expect(checkDataModel(credential({ id: v2, digestSRI: `sha384-${other}` }))).toContain(
      `relatedResource ${v2} has a digestSRI that does not match that resource.`,
    );
    const wrong = createHash('sha256').update('something else').digest('base64url');
    expect(checkDataModel(credential({ id: v2, digestMultibase: `u${wrong}` }))).toContain(
      `relatedResource ${v2} has a digestMultibase that does not match that resource.`,
    );
  });

  it('leaves digests of resources it does not hold to whoever fetches them', () => {
    const any = createHash('sha384').update('x').digest('base64');
    expect(checkDataModel(credential({ id: 'https://example.org/syllabus.pdf', digestSRI: `sha384-${any}` }))).toEqual(
      [],
    );
  });
});

// The published bytes of every W3C context Skillproof bundles (test/fixtures/standards/contexts, with provenance).
const publishedContexts: [url: string, file: string][] = [
  ['https://www.w3.org/ns/credentials/v2', 'credentials-v2'],
  ['https://www.w3.org/2018/credentials/v1', 'credentials-v1'],
  ['https://w3id.org/security/data-integrity/v2', 'data-integrity-v2'],
  ['https://w3id.org/security/multikey/v1', 'multikey-v1'],
  ['https://www.w3.org/ns/credentials/status/v1', 'status-v1'],
];

describe('relatedResource digests of every W3C context Skillproof bundles', () => {
  it('reproduces the digests the W3C states for the VC 2.0 base context from the fixture bytes', () => {
    const bytes = readFileSync(path.join(standardsDir, 'contexts', 'credentials-v2'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256.toString('hex'));
    expect(`sha384-${createHash('sha384').update(bytes).digest('base64')}`).toBe(sri);
  });

  for (const [url, file] of publishedContexts) {
    const bytes = readFileSync(path.join(standardsDir, 'contexts', file));
    const digest = (algorithm: string) => createHash(algorithm).update(bytes).digest();

    it(`accepts the digests of ${url}'s published bytes, as SRI and multibase, SHA-256 to SHA-512`, () => {
      for (const algorithm of ['sha256', 'sha384', 'sha512']) {
        const sriValue = `${algorithm}-${digest(algorithm).toString('base64')}`;
        expect(checkDataModel(credential({ id: url, digestSRI: sriValue }))).toEqual([]);
        expect(
          checkDataModel(credential({ id: url, digestMultibase: `u${digest(algorithm).toString('base64url')}` })),
        ).toEqual([]);
      }
    });

    it(`refuses a digest of other bytes than ${url}'s published ones`, () => {
      // One byte more: a trailing newline, the smallest change a copy can have.
      const changed = Buffer.concat([bytes, Buffer.from('\n')]);
      for (const algorithm of ['sha256', 'sha384', 'sha512']) {
        const other = createHash(algorithm).update(changed).digest();
        expect(
          checkDataModel(credential({ id: url, digestSRI: `${algorithm}-${other.toString('base64')}` })),
        ).toContain(`relatedResource ${url} has a digestSRI that does not match that resource.`);
        expect(checkDataModel(credential({ id: url, digestMultibase: `u${other.toString('base64url')}` }))).toContain(
          `relatedResource ${url} has a digestMultibase that does not match that resource.`,
        );
      }
    });
  }
});
