import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { pathsIn, removed, replaced, type Json } from '../../test/helpers/json-edits.js';
import { standardsDir, standardsJson } from '../../test/helpers/standards.js';
import achievementCredentialSchema from './schemas/ob_v3p0_achievementcredential_schema.json' with { type: 'json' };
import { schemaFor, validateSchema } from './schemas.js';

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
      .map((f) => standardsJson<Json>(`ob3/examples/${f}`))
      .filter((e) => schemaFor(e as object) === 'AchievementCredential');
    const replacements: (Json | undefined)[] = [
      undefined,
      null,
      42,
      'text',
      [],
      {},
      ['Achievement'],
      { id: 'https://example.com' },
    ];
    let cases = 0;
    let valid = 0;
    for (const example of examples) {
      for (const at of pathsIn(example)) {
        for (const replacement of replacements) {
          const changed = replacement === undefined ? removed(example, at) : replaced(example, at, replacement);
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
