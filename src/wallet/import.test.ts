import { describe, expect, it } from 'vitest';
import { hashedIdentity } from '../vc/identity.js';
import { summarize } from '../vc/summary.js';
import type { Check } from '../vc/verify.js';
import type { InputVerification } from '../vc/verify-input.js';
import { decideImport, importDigest, recipientOf, type LearnerIdentities } from './import.js';

const learner: LearnerIdentities = { userId: 'u1', emails: ['grace@example.org'], dids: ['did:key:z6Mkgrace'] };
const passed = (id: Check['id']): Check => ({ id, status: 'passed', message: `${id} ok` });
const allPassed = (
  ['data-model', 'context', 'schema', 'proof', 'issuer', 'valid-from', 'valid-until', 'status'] as const
).map(passed);

function credential(subject: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: 'urn:uuid:one',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'did:web:elsewhere.example', name: 'Elsewhere' },
    validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: { type: ['AchievementSubject'], achievement: { name: 'Badge' }, ...subject },
    ...extra,
  };
}

function verified(document: Record<string, unknown>, checks: Check[] = allPassed): InputVerification {
  return {
    verified: !checks.some((c) => c.status === 'failed'),
    checks,
    format: 'json',
    credential: document,
    summary: summarize(document),
  };
}

const withFailed = (id: Check['id'], message: string) =>
  allPassed.map((c) => (c.id === id ? { id, status: 'failed' as const, message } : c));

describe('deciding an import', () => {
  it('accepts a verified credential issued to the learner’s email (hashed or plain)', () => {
    for (const identifier of [
      hashedIdentity('Grace@Example.org'),
      { type: 'IdentityObject', hashed: false, identityHash: 'grace@example.org', identityType: 'emailAddress' },
    ]) {
      const decision = decideImport({
        verification: verified(credential({ identifier: [identifier] })),
        source: 'json',
        identities: learner,
      });
      expect(decision).toMatchObject({
        outcome: 'accept',
        expired: false,
        record: {
          format: 'ldp_vc',
          credentialId: 'urn:uuid:one',
          issuerId: 'did:web:elsewhere.example',
          name: 'Badge',
        },
      });
    }
  });

  it('accepts a DID subject only when our records show the learner holds that DID', () => {
    const known = decideImport({
      verification: verified(credential({ id: 'did:key:z6Mkgrace' })),
      source: 'json',
      identities: learner,
    });
    expect(known.outcome).toBe('accept');
    const unknown = decideImport({
      verification: verified(credential({ id: 'did:key:z6Mkgrace' })),
      source: 'json',
      identities: { ...learner, dids: [] },
    });
    expect(unknown).toMatchObject({ outcome: 'refuse', status: 422, reason: 'not-yours' });
    if (unknown.outcome === 'refuse') expect(unknown.message).toMatch(/grace@example.org.*no DIDs/);
  });

  it('refuses what names someone else, or nobody', () => {
    const theirs = decideImport({
      verification: verified(credential({ identifier: [hashedIdentity('ada@example.org')] })),
      source: 'json',
      identities: learner,
    });
    expect(theirs).toMatchObject({ outcome: 'refuse', reason: 'not-yours' });
    const nobody = decideImport({ verification: verified(credential({})), source: 'json', identities: learner });
    expect(nobody).toMatchObject({ outcome: 'refuse', reason: 'no-recipient' });
  });

  it('refuses failed proofs, revocation and suspension, with the failed checks; takes expiry as a flag', () => {
    const mine = credential({ identifier: [hashedIdentity('grace@example.org')] });
    const tampered = decideImport({
      verification: verified(mine, withFailed('proof', 'The signature does not match.')),
      source: 'json',
      identities: learner,
    });
    expect(tampered).toMatchObject({ outcome: 'refuse', status: 422, reason: 'not-verified' });
    if (tampered.outcome === 'refuse') expect(tampered.failedChecks.map((c) => c.id)).toEqual(['proof']);

    const revoked = decideImport({
      verification: verified(mine, withFailed('status', 'The issuer has revoked this credential.')),
      source: 'json',
      identities: learner,
    });
    expect(revoked).toMatchObject({ outcome: 'refuse', reason: 'revoked' });
    const suspended = decideImport({
      verification: verified(mine, withFailed('status', 'The issuer has suspended this credential.')),
      source: 'json',
      identities: learner,
    });
    expect(suspended).toMatchObject({ outcome: 'refuse', reason: 'suspended' });

    const expired = decideImport({
      verification: verified(mine, withFailed('valid-until', 'The credential expired on 2024-06-01.')),
      source: 'png',
      identities: learner,
    });
    expect(expired).toMatchObject({ outcome: 'accept', expired: true, record: { source: 'png' } });
    if (expired.outcome === 'accept') expect(expired.message).toMatch(/marked as expired.*2024-06-01/);
  });

  it('refuses a credential issued here to this learner as already held', () => {
    const decision = decideImport({
      verification: verified(credential({ identifier: [hashedIdentity('grace@example.org')] })),
      source: 'json',
      identities: learner,
      issuedHere: { recipientUserId: 'u1' },
    });
    expect(decision).toMatchObject({ outcome: 'refuse', status: 409, reason: 'already-held' });
  });

  it('reads Open Badges 2.0 recipients, hashed or plain', () => {
    const salt = 'pepper';
    const hashed = recipientOf(
      {
        recipient: {
          type: 'email',
          hashed: true,
          salt,
          identity: hashedIdentity('grace@example.org', 'emailAddress', salt).identityHash,
        },
      },
      'ob2',
    );
    expect(hashed.identities[0]).toMatchObject({ identityType: 'emailAddress', hashed: true, salt });
    const decision = decideImport({
      verification: {
        ...verified({
          type: 'Assertion',
          id: 'https://b.example/a/1',
          recipient: { type: 'email', identity: 'grace@example.org' },
        }),
        format: 'ob2',
      },
      source: 'json',
      identities: learner,
    });
    expect(decision).toMatchObject({ outcome: 'accept', record: { format: 'ob2' } });
  });
});

describe('the duplicate digest', () => {
  it('is the same for one credential however it is serialized, and tells credentials apart', () => {
    expect(importDigest('did:web:a', 'urn:uuid:1', '{"a":1}')).toBe(
      importDigest('did:web:a', 'urn:uuid:1', '{ "a": 1 }'),
    );
    expect(importDigest('did:web:a', 'urn:uuid:1', 'x')).not.toBe(importDigest('did:web:b', 'urn:uuid:1', 'x'));
    expect(importDigest(null, null, '{"a":1}')).not.toBe(importDigest(null, null, '{"a":2}'));
  });
});
