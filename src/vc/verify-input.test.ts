import { describe, expect, it } from 'vitest';
import { inputLimits, parseCredentialJson, readInput } from './verify-input.js';

/** A credential-shaped object whose `nested` property holds `levels` more levels of objects and arrays. */
function nestedDocument(levels: number): Record<string, unknown> {
  let value: unknown = 'deepest';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { next: value };
  return { type: ['VerifiableCredential'], nested: value };
}

describe('credential input limits', () => {
  const limit = inputLimits.maxDepth;

  it('accepts nesting up to the limit, from text and from parsed JSON', () => {
    const atLimit = nestedDocument(limit - 1); // the document itself is one level
    expect(parseCredentialJson(JSON.stringify(atLimit))).toEqual(atLimit);
    expect(readInput({ json: atLimit }).content).toEqual({ kind: 'json', credential: atLimit });
  });

  it('refuses nesting past the limit with a clear error', () => {
    const tooDeep = nestedDocument(limit);
    expect(() => parseCredentialJson(JSON.stringify(tooDeep))).toThrow(`nested more than ${limit} levels deep`);
    expect(() => readInput({ json: tooDeep })).toThrow(`nested more than ${limit} levels deep`);
  });

  it('refuses very deep nesting without exhausting the stack', () => {
    const text = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(() => parseCredentialJson(text)).toThrow(`nested more than ${limit} levels deep`);
  });

  it('refuses what is not an object', () => {
    expect(() => parseCredentialJson('[1, 2]')).toThrow('A credential is a JSON object.');
    expect(() => parseCredentialJson('{"a": ')).toThrow('not valid JSON');
  });
});
