import type { Command } from 'commander';

export interface ServerOptions {
  url: string;
  token?: string;
}

/** Options of every command that talks to a running instance. */
export function serverOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the Skillproof instance', process.env.SKILLPROOF_URL ?? 'http://localhost:3000')
    .option('--token <token>', 'API token (default: SKILLPROOF_TOKEN, then the one saved by `skillproof login`)');
}
