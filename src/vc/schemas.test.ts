import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardsDir, standardsJson } from '../../test/helpers/standards.js';
import { deepFreeze } from './frozen.js';
import { achievementCheckedOnce, schemaFor, validateSchema } from './schemas.js';

describe('official JSON schemas', () => {
  const examples = readdirSync(path.join(standardsDir, 'ob3/examples')).filter((f) => f.endsWith('.json'));

  it.each(examples)('the spec example %s validates', (file) => {
    const example = standardsJson(`ob3/examples/${file}`);
    const name = schemaFor(example);
    expect(name).toBeDefined();
    expect(validateSchema(name!, example)).toEqual([]);
  });

  it('the CLR 2.0 fixture validates', () => {
    const clr = standardsJson('clr2/fixtures-1edtech-validator/simple.json');
    expect(schemaFor(clr)).toBe('ClrCredential');
    expect(validateSchema('ClrCredential', clr)).toEqual([]);
  });

  it('names what is wrong in an invalid credential', () => {
    const example = standardsJson<Record<string, unknown>>('ob3/examples/example-basic-openbadgecredential.json');
    const { issuer: _issuer, ...noIssuer } = example;
    expect(validateSchema('AchievementCredential', noIssuer)).toContainEqual({
      path: '(document)',
      message: 'needs "issuer"',
    });
    const badSubject = { ...example, credentialSubject: { ...(example.credentialSubject as object), type: 42 } };
    expect(validateSchema('AchievementCredential', badSubject).length).toBeGreaterThan(0);
  });
});

describe('a frozen achievement shared by many credentials', () => {
  it('is checked once, and every credential gets the verdict and issues it would get on its own', () => {
    expect(achievementCheckedOnce()).toBe(true);
    const base = standardsJson<Record<string, unknown>>('ob3/examples/example-basic-openbadgecredential.json');
    const baseAchievement = (base.credentialSubject as { achievement: Record<string, unknown> }).achievement;
    const breakAchievement = [
      (a: Record<string, unknown>) => delete a.criteria,
      (a: Record<string, unknown>) => (a.type = 42),
      (a: Record<string, unknown>) => (a.alignment = [{ type: ['Alignment'], targetName: 'No URL' }]),
    ];
    for (let i = 0; i < 60; i++) {
      const achievement = { ...structuredClone(baseAchievement), name: `Skill ${i}` };
      const broken = i % 3 === 0;
      if (broken) breakAchievement[(i / 3) % breakAchievement.length]!(achievement);
      const shared = deepFreeze(achievement);
      for (let use = 0; use < 4; use++) {
        const credential = structuredClone(base);
        credential.id = `urn:uuid:00000000-0000-4000-8000-${String(i * 10 + use).padStart(12, '0')}`;
        (credential.credentialSubject as Record<string, unknown>).achievement = shared;
        if (use === 2) delete credential.validFrom; // the rest broken too
        const alone = structuredClone(credential); // nothing frozen: checked in full
        const issues = validateSchema('AchievementCredential', credential);
        expect(issues, `#${i}, use ${use}`).toEqual(validateSchema('AchievementCredential', alone));
        expect(issues.length > 0, `#${i}, use ${use}`).toBe(broken || use === 2);
      }
    }
  });
});
