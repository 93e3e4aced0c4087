/** An error from the credential library, with a stable code and a message a recruiter can read. */
export type VcErrorCode =
  | 'unknown-context'
  | 'invalid-document'
  | 'invalid-key'
  | 'invalid-proof'
  | 'unsupported'
  | 'did-resolution'
  | 'invalid-jwt'
  | 'invalid-image'
  | 'status-list';

export class VcError extends Error {
  constructor(
    readonly code: VcErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VcError';
  }
}
