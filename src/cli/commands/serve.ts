import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isClusterPrimary, maxProcesses, parseProcesses, runPrimary, shareVerifierChanges } from '../../app/cluster.js';
import { loadConfig } from '../../platform/config.js';
import { startServer } from '../../app/server.js';
import { CliError, exitCodes } from '../errors.js';

interface ServeFlags {
  port?: string;
  init?: boolean;
  seedDemo?: boolean;
  workers: boolean;
  processes?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the web app, API and background workers (migrates the database first)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option(
      '--init',
      'first run: make a new instance when the data folder (or PostgreSQL database) is empty; refused without it',
    )
    .option('--seed-demo', 'create the demo organizations and logins if they are missing')
    .option('--no-workers', 'do not run background jobs in this process')
    .option(
      '--tls-cert <file>',
      'serve https with this certificate (PEM), e.g. a self-signed one for local test suites',
    )
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .option(
      '--processes <count>',
      `serve from this many processes sharing the port, e.g. one per core (PostgreSQL only; 1 to ${maxProcesses}, default 1)`,
    )
    .action(async (options: ServeFlags) => {
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
      const tls = readTls(options.tlsCert, options.tlsKey);
      const server = await startServer(config, {
        init: options.init ?? false,
        seedDemo: options.seedDemo ?? false,
        seedTalent: options.seedDemo ?? false,
        workers: options.workers,
        ...(tls ? { tls } : {}),
      });
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

/** The certificate and key of --tls-cert and --tls-key: both or neither, readable PEM files. */
export function readTls(certFile?: string, keyFile?: string): { cert: Buffer; key: Buffer } | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new CliError('--tls-cert and --tls-key go together.', exitCodes.badInput);
  const read = (file: string, what: string) => {
    try {
      const pem = readFileSync(file);
      if (!pem.includes('-----BEGIN ')) throw new Error('not a PEM file');
      return pem;
    } catch (error) {
      throw new CliError(`Cannot read the TLS ${what} ${file}: ${(error as Error).message}.`, exitCodes.badInput);
    }
  };
  return { cert: read(certFile, 'certificate'), key: read(keyFile, 'key') };
}
