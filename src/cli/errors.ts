/** Exit codes: 0 ok, 1 failure, 2 bad input (usage, invalid values, refused input). */
export const exitCodes = { ok: 0, failure: 1, badInput: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}
