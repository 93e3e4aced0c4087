import type { Command } from 'commander';

export interface ServerOptions {
  /** Given with --url; otherwise SKILLPROOF_URL, then the instance of the last login (see `instanceUrl`). */
  url?: string;
  token?: string;
}

/** Options of every command that talks to a running instance. */
export function serverOptions(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'the Skillproof instance (default: SKILLPROOF_URL, then the one of your last `skillproof login`, then http://localhost:3000)',
    )
    .option('--token <token>', 'API token (default: SKILLPROOF_TOKEN, then the one saved by `skillproof login`)');
}
