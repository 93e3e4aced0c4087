import { describe, expect, it } from 'vitest';
import { guardBody, maxJsonDepth } from './body-guard.js';

describe('guardBody', () => {
  it('accepts ordinary documents', () => {
    expect(() => guardBody({ a: ['x', { b: 1, c: null }], d: 'ünïcødé' })).not.toThrow();
    expect(() => guardBody(undefined)).not.toThrow();
  });
  it('refuses NUL characters in values and keys, naming the field', () => {
    expect(() => guardBody({ a: { b: 'x\u0000y' } })).toThrow(/body\.a\.b/);
    expect(() => guardBody({ a: [{}, { c: ['ok', 'x\u0000'] }] })).toThrow('body.a.1.c.1 contains a NUL character.');
    expect(() => guardBody({ ['k\u0000']: 1 })).toThrow(/NUL/);
  });
  it('refuses nesting past the limit and accepts it at the limit', () => {
    const nest = (n: number) => {
      let value: unknown = 1;
      for (let i = 0; i < n; i++) value = [value];
      return value;
    };
    expect(() => guardBody(nest(maxJsonDepth))).not.toThrow();
    expect(() => guardBody(nest(maxJsonDepth + 1))).toThrow(/nested/);
    expect(() => guardBody(nest(200_000))).toThrow(/nested/); // refused at the limit, not by a stack overflow
  });
});
