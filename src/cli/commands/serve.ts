import type { Command } from 'commander';
import { loadConfig } from '../../platform/config.js';
import { startServer } from '../../platform/server.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the web app, API and background workers (migrates the database first)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--seed-demo', 'create the demo organizations and logins if they are missing')
    .option('--no-workers', 'do not run background jobs in this process')
    .action(async (options: { port?: string; seedDemo?: boolean; workers: boolean }) => {
      const config = loadConfig({ ...process.env, ...(options.port ? { PORT: options.port } : {}) });
      const server = await startServer(config, { seedDemo: options.seedDemo ?? false, workers: options.workers });
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
