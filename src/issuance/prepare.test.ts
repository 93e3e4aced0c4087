import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { achievementCredential } from '../../test/helpers/credentials.js';
import { prepareCredential } from './prepare.js';

const did = 'did:web:skillproof.test:issuers:1';
const profile = { id: did, type: ['Profile'], name: 'Northwind Institute' } as never;
const ours = {
  id: 'https://skillproof.test/status-lists/a#7',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '7',
  statusListCredential: 'https://skillproof.test/status-lists/a',
};
const fill = {
  credentialId: 'urn:uuid:0b3c4f1e-5a2d-4c8e-9f7a-1d2e3f4a5b6c',
  validFrom: '2026-01-01T00:00:00Z',
  status: [ours],
};

/** A plain VC 2.0 credential, whose only context does not define Profile. */
const plain = (overrides: Record<string, unknown> = {}) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  type: ['VerifiableCredential'],
  credentialSubject: { id: 'did:example:subject', name: 'Lea' },
  ...overrides,
});

function refusal(input: unknown): DomainError {
  try {
    prepareCredential(input, { did, profile }, fill);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the issuer of a prepared credential', () => {
  it('keeps the caller’s form for a plain VC 2.0 credential: a URL stays a URL', () => {
    expect(prepareCredential(plain({ issuer: did }), { did, profile }, fill).issuer).toBe(did);
    expect(prepareCredential(plain(), { did, profile }, fill).issuer).toBe(did);
  });

  it('keeps an issuer object of a plain credential as given, filling only its id, with no Profile fields', () => {
    const issuer = prepareCredential(plain({ issuer: { name: 'Example' } }), { did, profile }, fill).issuer;
    expect(issuer).toEqual({ id: did, name: 'Example' });
  });

  it('gives Open Badges credentials the organization’s Profile', () => {
    expect(prepareCredential(achievementCredential({ issuer: did }), { did, profile }, fill).issuer).toEqual({
      id: did,
      type: ['Profile'],
      name: 'Northwind Institute',
    });
  });
});

describe('credentialStatus given by the caller', () => {
  const theirs = {
    id: 'https://status.example/lists/3#94567',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '94567',
    statusListCredential: 'https://status.example/lists/3',
  };

  it('is kept, and ours follows it', () => {
    const prepared = prepareCredential(plain({ credentialStatus: theirs }), { did, profile }, fill);
    expect(prepared.credentialStatus).toEqual([theirs, ours]);
  });

  it('is kept alone when we add none', () => {
    const prepared = prepareCredential(
      plain({ credentialStatus: [theirs] }),
      { did, profile },
      { ...fill, status: [] },
    );
    expect(prepared.credentialStatus).toEqual(theirs);
  });

  it('must still have a type', () => {
    expect(refusal(plain({ credentialStatus: { id: 'https://status.example/x' } })).message).toContain(
      'credentialStatus entry must have a type',
    );
  });
});

describe('malformed fields are refused, not replaced', () => {
  it('refuses "id": null', () => {
    const error = refusal(plain({ id: null }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('id is null');
  });

  it('refuses "issuer": null and an issuer id of null', () => {
    expect(refusal(plain({ issuer: null })).message).toContain('issuer is null');
    expect(refusal(plain({ issuer: { id: null } })).message).toContain('issuer id must be a URL');
    expect(refusal(achievementCredential({ issuer: null })).message).toContain('issuer is null');
  });

  it('refuses a malformed issuer name or description, also on Open Badges credentials', () => {
    const extra = { '@value': 'Example', '@language': 'en', url: 'did:example:issuer' };
    expect(refusal(plain({ issuer: { name: extra } })).message).toContain('issuer name may only have');
    expect(refusal(plain({ issuer: { name: 5 } })).message).toContain('issuer name must be text');
    expect(refusal(plain({ issuer: { description: { '@value': 'x', '@direction': 'up' } } })).message).toContain(
      '@direction',
    );
    expect(refusal(achievementCredential({ issuer: { id: did, name: { lang: 'en' } } })).message).toContain(
      'issuer name must have text',
    );
  });

  it('refuses a credential name with extra properties in its value object', () => {
    expect(refusal(plain({ name: { '@value': 'A', '@language': 'en', url: 'x' } })).message).toContain(
      'name may only have',
    );
  });

  it('accepts names with language and base direction', () => {
    const name = [
      { '@value': 'Example', '@language': 'en', '@direction': 'ltr' },
      { '@value': 'مثال', '@language': 'ar', '@direction': 'rtl' },
    ];
    expect(prepareCredential(plain({ name, issuer: { name } }), { did, profile }, fill).name).toEqual(name);
  });
});
