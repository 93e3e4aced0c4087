import { Command, CommanderError } from 'commander';
import { version } from '../platform/version.js';
import { ConfigError } from '../platform/config.js';
import { DataLockedError } from '../platform/data-lock.js';
import { RefusedToStart } from '../platform/errors.js';
import { adminCommand } from './commands/admin.js';
import { analyticsCommand } from './commands/analytics.js';
import { bulkCommand } from './commands/bulk.js';
import { credentialCommands } from './commands/credentials.js';
import { dbCommand } from './commands/db.js';
import { demoCommand } from './commands/demo.js';
import { loginCommands } from './commands/login.js';
import { serveCommand } from './commands/serve.js';
import { skillsCommand } from './commands/skills.js';
import { usersCommand } from './commands/users.js';
import { CliError, exitCodes } from './errors.js';

const program = new Command('skillproof')
  .description('Skillproof: micro-credentials with Open Badges 3.0')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

serveCommand(program);
dbCommand(program);
demoCommand(program);
adminCommand(program);
usersCommand(program);
loginCommands(program);
credentialCommands(program);
bulkCommand(program);
skillsCommand(program);
analyticsCommand(program);
// Usage errors anywhere in the tree exit with 2, not Commander's default 1.
const overrideExits = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(overrideExits);
};
overrideExits(program);

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.badInput;
  }
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigError) return exitCodes.badInput;
  return exitCodes.failure;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = exitCodeOf(error);
  // Commander already printed its own usage errors.
  if (!(error instanceof CommanderError)) {
    const message =
      error instanceof CliError ||
      error instanceof DataLockedError ||
      error instanceof ConfigError ||
      error instanceof RefusedToStart
        ? error.message
        : `skillproof failed: ${(error as Error).message ?? String(error)}`;
    console.error(message);
  }
  process.exit(code);
}
