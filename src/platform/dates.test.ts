import { describe, expect, it } from 'vitest';
import { formatDay, readerLocale } from './dates.js';

describe('dates in the reader locale', () => {
  it('takes the first language the header ranks highest that Intl can format', () => {
    expect(readerLocale('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(readerLocale('en;q=0.5, fr-CA')).toBe('fr-CA');
    expect(readerLocale('*;q=1, x-klingon, ja;q=0.1')).toBe('ja');
    expect(readerLocale(undefined)).toBe('en-GB');
    expect(readerLocale('no such thing!!')).toBe('en-GB');
  });

  it('writes a day in UTC, whatever the hour', () => {
    const late = new Date('2026-12-07T23:30:00Z');
    expect(formatDay(late, 'en-US')).toBe('Dec 7, 2026');
    expect(formatDay(late, 'de-DE')).toBe('07.12.2026');
    expect(formatDay(late)).toBe('7 Dec 2026');
  });
});
