/**
 * Errors the domain raises on purpose. Each has a stable `code` that the HTTP layer maps to a status and a
 * problem type, and the CLI maps to an exit code; the message is written for the person who made the request.
 */
export type ErrorCode =
  | 'invalid-input'
  | 'unauthenticated'
  | 'session-expired'
  | 'invalid-credentials'
  | 'forbidden'
  | 'csrf-failed'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'rate-limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not-found', `${what} was not found.`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const invalid = (message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid-input', message, details);

/**
 * The server (or a command that opens the database) will not start, for a reason the operator must fix: a
 * master key that does not open the stored keys, a data folder that is missing, a damaged database. The message
 * says what is wrong and what to do; the CLI prints it without a stack trace and exits with 1.
 */
export class RefusedToStart extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedToStart';
  }
}
