import { describe, expect, it } from 'vitest';
import type { Membership } from '../accounts/accounts.js';
import { chooseIssuingOrg } from './issuing-org.js';

const url = 'https://skillproof.test';
const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const membership = (id: string, roles: Membership['roles']): Membership => ({ org: { id, name: id }, roles });

describe('choosing the issuing organization', () => {
  it('uses the only organization where the caller issues', () => {
    expect(chooseIssuingOrg([membership(a, ['issuer']), membership(b, ['employer'])], {}, url)).toBe(a);
    expect(chooseIssuingOrg([membership(b, ['owner'])], {}, url)).toBe(b);
  });
  it('follows the issuer the credential names, if the caller issues there', () => {
    const both = [membership(a, ['issuer']), membership(b, ['owner'])];
    expect(chooseIssuingOrg(both, { issuer: `did:web:skillproof.test:issuers:${b}` }, url)).toBe(b);
    expect(chooseIssuingOrg(both, { issuer: { id: `did:web:skillproof.test:issuers:${a}` } }, url)).toBe(a);
    expect(() =>
      chooseIssuingOrg([membership(a, ['assessor'])], { issuer: `did:web:skillproof.test:issuers:${a}` }, url),
    ).toThrow(`You are not an issuer of did:web:skillproof.test:issuers:${a}.`);
    expect(() => chooseIssuingOrg(both, { issuer: 'did:web:elsewhere.example' }, url)).toThrow(
      /not an issuer on this instance/,
    );
  });
  it('finds the organization a did:key names among those the caller issues for', () => {
    const both = [membership(a, ['issuer']), membership(b, ['issuer'])];
    const keys = { 'did:key:z6MkA': a, 'did:key:z6MkB': b };
    expect(chooseIssuingOrg(both, { issuer: 'did:key:z6MkB' }, url, keys)).toBe(b);
    expect(() => chooseIssuingOrg(both, { issuer: 'did:key:z6MkOther' }, url, keys)).toThrow(
      'did:key:z6MkOther is not the did:key of an organization you issue for.',
    );
    expect(() => chooseIssuingOrg([membership(a, ['assessor'])], { issuer: 'did:key:z6MkA' }, url)).toThrow(
      /not an issuer in any/,
    );
  });
  it('asks which one, naming their DIDs, when the caller issues for several, and refuses non-issuers', () => {
    expect(() => chooseIssuingOrg([membership(a, ['issuer']), membership(b, ['issuer'])], {}, url)).toThrow(
      `one of did:web:skillproof.test:issuers:${a} (${a}), did:web:skillproof.test:issuers:${b} (${b})`,
    );
    expect(() => chooseIssuingOrg([membership(a, ['employer'])], {}, url)).toThrow(/not an issuer in any/);
  });
});
