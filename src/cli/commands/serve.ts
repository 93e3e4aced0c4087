import type { Command } from 'commander';
import { isClusterPrimary, maxProcesses, parseProcesses, runPrimary, shareVerifierChanges } from '../../app/cluster.js';
import { loadConfig } from '../../platform/config.js';
import { startServer } from '../../app/server.js';
import { CliError, exitCodes } from '../errors.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the web app, API and background workers (migrates the database first)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--seed-demo', 'create the demo organizations and logins if they are missing')
    .option('--no-workers', 'do not run background jobs in this process')
    .option(
      '--processes <count>',
      `serve from this many processes sharing the port, e.g. one per core (PostgreSQL only; 1 to ${maxProcesses}, default 1)`,
    )
    .action(async (options: { port?: string; seedDemo?: boolean; workers: boolean; processes?: string }) => {
      const config = loadConfig({ ...process.env, ...(options.port ? { PORT: options.port } : {}) });
      const processes = parseProcesses(options.processes);
      if (processes === undefined) {
        throw new CliError(`--processes takes a whole number from 1 to ${maxProcesses}.`, exitCodes.badInput);
      }
      if (processes > 1 && !config.databaseUrl) {
        throw new CliError(
          'Several processes need PostgreSQL (set DATABASE_URL): the embedded database belongs to one process.',
          exitCodes.badInput,
        );
      }
      if (processes > 1 && isClusterPrimary()) {
        await runPrimary(processes, (line) => console.log(line));
        return;
      }
      const server = await startServer(config, { seedDemo: options.seedDemo ?? false, workers: options.workers });
      shareVerifierChanges(server.platform.verifier);
      const shutdown = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
