import { Compile } from 'typebox/compile';
import type { Static, TSchema } from 'typebox';

/**
 * A JSONB value that is not the shape its column stores: a row written by hand, by an older version or by a
 * bug. Reading fails here, naming the row and what is wrong, instead of the value travelling on under a type
 * it does not have. It is the server's fault, never the caller's (a 500 whose text is not shown).
 */
export class StoredDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoredDataError';
  }
}

/**
 * A reader for one JSONB column: checks what the database hands back against the column's schema (compiled
 * once) and returns it typed, or throws a StoredDataError naming `what`, the row and the first mismatch.
 */
export function jsonColumn<S extends TSchema>(what: string, schema: S): (value: unknown, row: string) => Static<S> {
  const validator = Compile(schema);
  return (value, row) => {
    if (validator.Check(value)) return value as Static<S>;
    const [first] = validator.Errors(value);
    const detail = first ? `: ${first.instancePath || 'the value'} ${first.message}` : '';
    throw new StoredDataError(`The stored ${what} of ${row} is not valid${detail}.`);
  };
}
