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
