import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardsDir, standardsJson } from '../../test/helpers/standards.js';
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
