import { describe, expect, it } from 'vitest';
import {
  embedSnippet,
  emailUrl,
  handlePattern,
  linkedInAddToProfileUrl,
  linkedInFeedUrl,
  newShareToken,
  reminderDue,
  shareTokenPattern,
  type ShareFacts,
} from './links.js';
import { verdictOf } from './verdict.js';

const facts: ShareFacts = {
  name: 'Data <Analysis> & "SQL"',
  issuerName: 'Northwind Academy',
  issuedAt: new Date('2025-01-31T23:30:00Z'),
  validUntil: new Date('2027-12-01T00:00:00Z'),
  url: 'https://skillproof.test/c/abc',
  credentialId: 'urn:uuid:1234',
};

describe('share links', () => {
  it('fills LinkedIn certification fields, months 1–12 in UTC', () => {
    const url = new URL(linkedInAddToProfileUrl(facts));
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Data <Analysis> & "SQL"',
      organizationName: 'Northwind Academy',
      issueYear: '2025',
      issueMonth: '1',
      expirationYear: '2027',
      expirationMonth: '12',
      certUrl: 'https://skillproof.test/c/abc',
      certId: 'urn:uuid:1234',
    });
    const noExpiry = new URL(linkedInAddToProfileUrl({ ...facts, validUntil: null }));
    expect(noExpiry.searchParams.has('expirationYear')).toBe(false);
  });

  it('shares to the feed and by email with the page URL', () => {
    expect(new URL(linkedInFeedUrl(facts.url)).searchParams.get('url')).toBe(facts.url);
    const mail = emailUrl(facts);
    expect(mail.startsWith('mailto:?subject=')).toBe(true);
    expect(decodeURIComponent(mail)).toContain(facts.url);
  });

  it('escapes text in the embed snippet', () => {
    const snippet = embedSnippet({ ...facts, issuerName: '"><script>alert(1)</script>' });
    expect(snippet).not.toContain('<script>');
    expect(snippet).toContain('&quot;&gt;&lt;script&gt;');
    expect(snippet).toMatch(/^<iframe src="https:\/\/skillproof\.test\/c\/abc\/embed"/);
  });
});

describe('tokens and handles', () => {
  it('makes 256-bit random tokens that never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newShareToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(shareTokenPattern);
    expect(Buffer.from([...tokens][0]!, 'base64url').length).toBe(32);
  });

  it('accepts plain handles only', () => {
    expect(handlePattern.test('ada-lovelace')).toBe(true);
    for (const bad of ['ab', 'Ada', 'a--b', '-ada', 'ada-', 'a b', 'x'.repeat(41)]) {
      expect(handlePattern.test(bad), bad).toBe(false);
    }
  });
});

describe('reminder rule', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  it('is due three days after earning, unless shared or dismissed', () => {
    expect(reminderDue({ addedAt: daysAgo(2.9), everShared: false, dismissed: false }, now)).toBe(false);
    expect(reminderDue({ addedAt: daysAgo(3), everShared: false, dismissed: false }, now)).toBe(true);
    expect(reminderDue({ addedAt: daysAgo(10), everShared: true, dismissed: false }, now)).toBe(false);
    expect(reminderDue({ addedAt: daysAgo(10), everShared: false, dismissed: true }, now)).toBe(false);
  });
});

describe('verdicts', () => {
  const passed = { id: 'proof' as const, status: 'passed' as const, message: 'Signed.' };
  it('names revocation, suspension and expiry in plain words', () => {
    expect(verdictOf({ verified: true, checks: [passed] }).label).toBe('Verified');
    const revoked = {
      id: 'status' as const,
      status: 'failed' as const,
      message: 'The issuer has revoked this credential.',
    };
    expect(verdictOf({ verified: false, checks: [passed, revoked] })).toEqual({
      label: 'Revoked',
      ok: false,
      reasons: ['The issuer has revoked this credential.'],
    });
    const suspended = {
      id: 'status' as const,
      status: 'failed' as const,
      message: 'The issuer has suspended this credential.',
    };
    expect(verdictOf({ verified: false, checks: [suspended] }).label).toBe('Suspended');
    // A revocation recorded on the suspension bit reads as revoked when the store says so.
    expect(
      verdictOf({ verified: false, checks: [suspended] }, { revokedAt: new Date(), suspendedAt: null }).label,
    ).toBe('Revoked');
    const expired = { id: 'valid-until' as const, status: 'failed' as const, message: 'It expired.' };
    expect(verdictOf({ verified: false, checks: [expired] }).label).toBe('Expired');
    const forged = { id: 'proof' as const, status: 'failed' as const, message: 'Bad signature.' };
    expect(verdictOf({ verified: false, checks: [forged] })).toMatchObject({
      label: 'Not verified',
      reasons: ['Bad signature.'],
    });
    expect(verdictOf({ error: 'Not JSON.' })).toEqual({ label: 'Not verified', ok: false, reasons: ['Not JSON.'] });
  });
});
