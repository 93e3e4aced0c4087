import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashedIdentity, identityMatches } from './identity.js';
import { validateSchema } from './schemas.js';
import { achievementCredential } from '../../test/helpers/credentials.js';

describe('hashed recipient identities', () => {
  it('hashes the normalized email with a fresh salt', () => {
    const a = hashedIdentity(' Ada@Example.org ');
    const b = hashedIdentity('ada@example.org');
    expect(a.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(a.salt).not.toBe(b.salt);
    expect(a.identityHash).not.toBe(b.identityHash);
    const expected = createHash('sha256')
      .update('ada@example.org' + a.salt)
      .digest('hex');
    expect(a.identityHash).toBe(`sha256$${expected}`);
  });
  it('matches the right address only, case-insensitively, and md5 and plaintext forms', () => {
    const identity = hashedIdentity('ada@example.org');
    expect(identityMatches(identity, ['other@example.org', 'ADA@example.org'])).toBe(true);
    expect(identityMatches(identity, ['ada@example.com'])).toBe(false);
    const md5 = {
      ...identity,
      identityHash: `md5$${createHash('md5')
        .update('ada@example.org' + identity.salt)
        .digest('hex')}`,
    };
    expect(identityMatches(md5, ['ada@example.org'])).toBe(true);
    expect(
      identityMatches(
        { type: 'IdentityObject', hashed: false, identityHash: 'ada@example.org', identityType: 'emailAddress' },
        ['Ada@Example.org'],
      ),
    ).toBe(true);
    expect(identityMatches({ ...identity, identityHash: 'sha1$abc' }, ['ada@example.org'])).toBe(false);
  });
  it('fits the official schema as a credential subject identifier', () => {
    const credential = achievementCredential({
      id: 'urn:uuid:1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
      issuer: { id: 'did:example:issuer', type: ['Profile'], name: 'I' },
      validFrom: '2026-01-01T00:00:00Z',
    });
    const subject = {
      ...(credential.credentialSubject as object),
      id: undefined,
      identifier: [hashedIdentity('ada@example.org')],
    };
    expect(
      validateSchema(
        'AchievementCredential',
        JSON.parse(JSON.stringify({ ...credential, credentialSubject: subject })),
      ),
    ).toEqual([]);
  });
});
