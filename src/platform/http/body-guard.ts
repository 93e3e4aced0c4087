import { DomainError } from '../errors.js';

export const maxJsonDepth = 64;

/**
 * Refuses what every JSON body must not hold, whatever the route: NUL characters (PostgreSQL cannot store
 * them in text) and nesting deeper than `maxJsonDepth` (recursion in later processing would exhaust the stack).
 */
export function guardBody(body: unknown): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: 'body' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        throw new DomainError('invalid-input', `${path} contains a NUL character.`, { field: path });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxJsonDepth) {
      throw new DomainError('invalid-input', `The JSON is nested more than ${maxJsonDepth} levels deep.`);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) throw new DomainError('invalid-input', `${path} has a key with a NUL character.`);
      stack.push({ value: child, depth: depth + 1, path: `${path}.${key}` });
    }
  }
}
