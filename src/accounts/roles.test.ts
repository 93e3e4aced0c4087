import { describe, expect, it } from 'vitest';
import { grants, isRole } from './roles.js';

describe('roles', () => {
  it('lets an owner act in every role', () => {
    expect(grants(['owner'], ['issuer'])).toBe(true);
    expect(grants(['owner'], ['employer', 'assessor'])).toBe(true);
  });
  it('grants other roles only themselves', () => {
    expect(grants(['issuer'], ['issuer'])).toBe(true);
    expect(grants(['issuer'], ['assessor'])).toBe(false);
    expect(grants(['assessor', 'employer'], ['employer'])).toBe(true);
    expect(grants([], ['issuer'])).toBe(false);
    expect(grants(['issuer'], ['owner'])).toBe(false);
  });
  it('knows the four roles', () => {
    expect(['owner', 'issuer', 'assessor', 'employer'].every(isRole)).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole('learner')).toBe(false);
  });
});
