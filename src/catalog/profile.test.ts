import { describe, expect, it } from 'vitest';
import { validateSchema } from '../vc/schemas.js';
import { checkProfile, countryName, qualityAssuranceOf, toProfile } from './profile.js';

const details = {
  url: 'https://northwind.example',
  email: 'registry@northwind.example',
  country: 'PT',
  description: 'A polytechnic institute.',
  qualityAssurance: {
    accreditingBody: 'A3ES',
    accreditationId: 'ACEF/1920/123',
    framework: 'ESG 2015',
    validUntil: '2029-07-31',
  },
};

describe('issuer profiles', () => {
  it('validates countries, addresses and QA dates', () => {
    expect(checkProfile(details)).toEqual([]);
    expect(countryName('PT')).toBe('Portugal');
    expect(checkProfile({ country: 'XX' })[0]?.field).toBe('country');
    expect(checkProfile({ country: 'pt' })[0]?.field).toBe('country');
    expect(checkProfile({ url: 'ftp://x' })[0]?.field).toBe('url');
    expect(checkProfile({ email: 'nope' })[0]?.field).toBe('email');
    expect(
      checkProfile({ qualityAssurance: { accreditingBody: ' ', validUntil: '31/07/2029' } }).map((i) => i.field),
    ).toEqual(['qualityAssurance.accreditingBody', 'qualityAssurance.validUntil']);
  });

  it('becomes an OB 3.0 Profile that carries the QA facts and passes the official schema', () => {
    const profile = toProfile('did:web:skillproof.test:issuers:1', 'Northwind Institute', details);
    expect(profile.address).toEqual({ type: ['Address'], addressCountryCode: 'PT' });
    expect(qualityAssuranceOf(profile)).toEqual(details.qualityAssurance);
    expect(validateSchema('Profile', JSON.parse(JSON.stringify(profile)))).toEqual([]);
    expect(qualityAssuranceOf(toProfile('did:x', 'No QA', {}))).toBeUndefined();
  });
});
