import { describe, expect, it } from 'vitest';
import { VcError } from './errors.js';
import { envelopeJwt, isEnvelope, unwrapEnvelope } from './envelope.js';

// A compact JWS as far as the envelope is concerned (its signature is the JWT verifier's business).
const jws = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZTppc3N1ZXIifQ.c2lnbmF0dXJl';
const v2 = 'https://www.w3.org/ns/credentials/v2';

const refusal = (value: Record<string, unknown>) => {
  try {
    unwrapEnvelope(value);
  } catch (error) {
    if (error instanceof VcError) return error.message;
    throw error;
  }
  return undefined;
};

describe('enveloped verifiable credentials (VC DM 2.0 §4.13)', () => {
  it('wraps a VC-JWT as an EnvelopedVerifiableCredential with a data: URL, and unwraps it again', () => {
    const envelope = envelopeJwt(jws);
    expect(envelope).toEqual({
      '@context': v2,
      id: `data:application/vc+jwt,${jws}`,
      type: 'EnvelopedVerifiableCredential',
    });
    expect(isEnvelope(envelope)).toBe(true);
    expect(unwrapEnvelope(envelope)).toBe(jws);
  });

  it('unwraps the forms the W3C VC 2.0 test suite sends: application/jwt, context as an array, type in an array', () => {
    expect(
      unwrapEnvelope({ '@context': [v2], id: `data:application/jwt,${jws}`, type: ['EnvelopedVerifiableCredential'] }),
    ).toBe(jws);
  });

  it('refuses an envelope without the VC 2.0 base context, a data: URL, a JWT or a media type it knows', () => {
    const good = envelopeJwt(jws);
    expect(refusal({ ...good, '@context': [] })).toMatch(/base context/);
    expect(refusal({ ...good, '@context': 'https://www.w3.org/ns/credentials/examples/v2' })).toMatch(/base context/);
    expect(refusal({ ...good, id: jws })).toMatch(/data: URL/);
    expect(refusal({ ...good, id: 'data:application/vc+jwt,not a jwt' })).toMatch(/not a JWT/);
    expect(refusal({ ...good, id: `data:application/vc+cose,${jws}` })).toMatch(/application\/vc\+cose/);
  });

  it('refuses an envelope carrying claims outside its secured content, which nothing secures', () => {
    const good = envelopeJwt(jws);
    expect(refusal({ ...good, issuer: 'did:example:someone-else' })).toMatch(/issuer.*outside what its JWT secures/);
    expect(refusal({ ...good, credentialSubject: { id: 'did:example:me' }, proof: {} })).toMatch(
      /credentialSubject, proof/,
    );
  });

  it('tells a plain credential from an envelope', () => {
    expect(isEnvelope({ '@context': [v2], type: ['VerifiableCredential'] })).toBe(false);
    expect(isEnvelope({ ...envelopeJwt(jws), type: undefined })).toBe(false);
  });
});
