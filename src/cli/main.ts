import { Command, CommanderError, Help } from 'commander';
import { commandTable } from './command-table.js';
import { version } from '../platform/version.js';
import { CliError, exitCodes } from './errors.js';

const program = new Command('skillproof')
  .description('Skillproof: micro-credentials with Open Badges 3.0')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

// Only the command being run (or whose help is asked for, `skillproof help verify`) is imported with its module;
// for everything else (`--help`, an unknown command) the table's names and descriptions stand in.
const [first, second] = process.argv.slice(2);
const wanted = commandTable.find((entry) => entry.name === (first === 'help' ? second : first));
if (wanted) {
  (await wanted.load())(program);
  // The module may define its neighbours too (login, logout, whoami): list the others from the table.
  const defined = new Set(program.commands.map((command) => command.name()));
  for (const entry of commandTable)
    if (!defined.has(entry.name)) program.command(entry.name).description(entry.description);
} else {
  for (const entry of commandTable) program.command(entry.name).description(entry.description);
}
const terms = new Map(commandTable.map((entry) => [entry.name, entry.term]));
program.configureHelp({
  subcommandTerm(this: Help, command: Command) {
    return terms.get(command.name()) ?? Help.prototype.subcommandTerm.call(this, command);
  },
});

// Usage errors anywhere in the tree exit with 2, not Commander's default 1.
const overrideExits = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(overrideExits);
};
overrideExits(program);

/** Errors whose message is for the user as it is, with the exit code they call for; anything else is a failure. */
async function explain(error: unknown): Promise<{ code: number; message?: string }> {
  // Commander already printed its own usage errors.
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? exitCodes.ok : exitCodes.badInput };
  if (error instanceof CliError) return { code: error.exitCode, message: error.message };
  // Imported only now: the modules that throw these were loaded already, and --help needs none of them.
  const [{ ConfigError }, { DataLockedError }, { DomainError, RefusedToStart }] = await Promise.all([
    import('../platform/config.js'),
    import('../platform/data-lock.js'),
    import('../platform/errors.js'),
  ]);
  if (error instanceof ConfigError) return { code: exitCodes.badInput, message: error.message };
  if (error instanceof DataLockedError || error instanceof RefusedToStart) {
    return { code: exitCodes.failure, message: error.message };
  }
  if (error instanceof DomainError) {
    const badInput = ['invalid-input', 'too-large', 'conflict'].includes(error.code);
    return { code: badInput ? exitCodes.badInput : exitCodes.failure, message: error.message };
  }
  return { code: exitCodes.failure, message: `skillproof failed: ${(error as Error)?.message ?? String(error)}` };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { code, message } = await explain(error);
  if (message !== undefined) console.error(message);
  process.exit(code);
}
