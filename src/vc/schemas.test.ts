import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { standardsDir, standardsJson } from '../../test/helpers/standards.js';
import { deepFreeze } from './frozen.js';
import achievementCredentialSchema from './schemas/ob_v3p0_achievementcredential_schema.json' with { type: 'json' };
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

describe('the quick check (definitions compiled apart)', () => {
  it("gives ajv's default verdict on every mutation of the OB 3.0 examples", () => {
    const ajv = new Ajv2019({ strict: false, validateFormats: true });
    addFormats.default(ajv);
    const reference = ajv.compile(achievementCredentialSchema);
    const dir = path.join(standardsDir, 'ob3/examples');
    const examples = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => standardsJson(`ob3/examples/${f}`))
      .filter((e) => schemaFor(e) === 'AchievementCredential');
    const replacements = [undefined, null, 42, 'text', [], {}, ['Achievement'], { id: 'https://example.com' }];
    let cases = 0;
    let valid = 0;
    for (const example of examples) {
      for (const at of pathsIn(example)) {
        for (const replacement of replacements) {
          const changed = structuredClone(example);
          setAt(changed, at, replacement);
          const verdict = reference(changed);
          expect(validateSchema('AchievementCredential', changed).length === 0, at.join('.')).toBe(verdict);
          cases++;
          if (verdict) valid++;
        }
      }
    }
    expect(cases).toBeGreaterThan(5000);
    expect(valid).toBeGreaterThan(500);
  });
});

type Json = Record<string, unknown> | unknown[];

/** Every path to a value inside a JSON document. */
function pathsIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== 'object') return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...(at.length ? [at] : []), ...entries.flatMap(([k, v]) => pathsIn(v, [...at, k]))];
}

/** Replaces the value at a path, or removes it when the replacement is undefined. */
function setAt(document: Json, at: (string | number)[], replacement: unknown): void {
  let holder = document as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (replacement !== undefined) holder[last] = replacement;
  else if (Array.isArray(holder)) holder.splice(last as number, 1);
  else delete holder[last];
}

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
