import { DomainError } from '../errors.js';

export const maxJsonDepth = 64;

/**
 * Refuses what every JSON body must not hold, whatever the route: NUL characters (PostgreSQL cannot store
 * them in text) and nesting deeper than `maxJsonDepth` (recursion in later processing would exhaust the stack).
 */
export function guardBody(body: unknown): void {
  // Depth-first by recursion (at most maxJsonDepth deep), with the path spelt out only for an error: this
  // runs on every request, and building each value's path cost more than the checks.
  const keys: string[] = [];
  const path = () => ['body', ...keys].join('.');
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        throw new DomainError('invalid-input', `${path()} contains a NUL character.`, { field: path() });
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (depth >= maxJsonDepth) {
      throw new DomainError('invalid-input', `The JSON is nested more than ${maxJsonDepth} levels deep.`);
    }
    for (const key of Object.keys(value)) {
      if (key.includes('\u0000')) throw new DomainError('invalid-input', `${path()} has a key with a NUL character.`);
      keys.push(key);
      visit((value as Record<string, unknown>)[key], depth + 1);
      keys.pop();
    }
  };
  visit(body, 0);
}
