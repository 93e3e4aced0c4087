import { describe, expect, it } from 'vitest';
import { canStart } from './attempts.js';
import { renewalDue } from './renewal.js';

const now = new Date('2026-06-01T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const held = (validUntil: Date | null, extra: { revoked?: boolean; suspended?: boolean } = {}) => ({
  validUntil,
  revoked: false,
  suspended: false,
  ...extra,
});

describe('renewal', () => {
  it('is due when the newest credential has expired or expires within 30 days', () => {
    expect(renewalDue([held(days(-1))], now)).toBe(true);
    expect(renewalDue([held(days(29))], now)).toBe(true);
    expect(renewalDue([held(days(31))], now)).toBe(false);
    expect(renewalDue([held(days(-400)), held(days(300))], now)).toBe(false);
    expect(renewalDue([held(days(-400)), held(days(10))], now)).toBe(true);
  });

  it('is not due without a credential, for one that never expires, or against the issuer’s revocation or suspension', () => {
    expect(renewalDue([], now)).toBe(false);
    expect(renewalDue([held(null)], now)).toBe(false);
    expect(renewalDue([held(days(-1), { revoked: true })], now)).toBe(false);
    expect(renewalDue([held(days(5), { suspended: true })], now)).toBe(false);
  });

  it('lets a renewing learner past used-up attempts, not past the cooldown', () => {
    const rules = { maxAttempts: 1, cooldownHours: 24, timeLimitMinutes: 30 };
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000);
    const passedLongAgo = { startedAt: at(9000), finishedAt: at(8999), passed: true };
    expect(canStart([passedLongAgo], rules, now)).toMatchObject({ allowed: false, reason: 'passed' });
    expect(canStart([passedLongAgo], rules, now, { renewing: true })).toEqual({ allowed: true });
    const failedRenewal = { startedAt: at(3), finishedAt: at(2.5), passed: false };
    expect(canStart([passedLongAgo, failedRenewal], rules, now, { renewing: true })).toMatchObject({
      allowed: false,
      reason: 'cooldown',
    });
    const failedYesterday = { startedAt: at(30), finishedAt: at(29.5), passed: false };
    expect(canStart([passedLongAgo, failedYesterday], rules, now, { renewing: true })).toEqual({ allowed: true });
    expect(canStart([failedYesterday], rules, now)).toMatchObject({ allowed: false, reason: 'max-attempts' });
  });
});
