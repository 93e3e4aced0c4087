import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { formatLogins, seedDemo } from '../demo/seed.js';
import type { Config } from '../platform/config.js';
import { acquireDataLock } from '../platform/data-lock.js';
import { redact } from '../platform/db/database.js';
import { buildHttpApp } from './http.js';
import { createPlatform, type Platform } from './platform.js';

export interface ServeOptions {
  seedDemo?: boolean;
  /** Built web app; defaults to the package's `web/dist`. */
  webDir?: string;
  /** Also run background workers in this process (default). */
  workers?: boolean;
  print?: (line: string) => void;
}

export interface RunningServer {
  app: FastifyInstance;
  platform: Platform;
  url: string;
  stop(): Promise<void>;
}

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Opens the database (holding its lock when embedded), migrates, optionally seeds, and serves. */
export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => console.log(line));
  let stopping: Promise<void> | undefined;
  let stop: () => Promise<void> = async () => {};
  const releaseLock = config.databaseUrl
    ? async () => {}
    : await acquireDataLock(config.dataDir, config.publicUrl, (error) => {
        print(`The lock on ${config.dataDir} was lost (${error.message}); shutting down to protect the data.`);
        void stop().finally(() => process.exit(1));
      });
  let platform: Platform | undefined;
  try {
    platform = await createPlatform(config);
    // The bundled ESCO and O*NET subsets: a refresh when already loaded, so upgrades bring new data.
    await platform.skills.loadBundled();
    if (options.seedDemo) {
      const seeded = await seedDemo(platform);
      if (seeded.created) print(formatLogins(seeded));
    }
    if (options.workers !== false) {
      await platform.queue.work();
      platform.mail.startSweeping();
    }
    const app = await buildHttpApp(platform, { webDir: options.webDir ?? defaultWebDir });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    const running = platform;
    stop = () =>
      (stopping ??= (async () => {
        await app.close();
        await running.close();
        await releaseLock();
      })());
    const where = config.databaseUrl
      ? `PostgreSQL ${redact(config.databaseUrl)}`
      : `embedded database in ${path.relative(process.cwd(), config.dataDir) || '.'}`;
    print(`Skillproof is running on ${url} (${where}). API docs: ${url}/docs`);
    return { app, platform, url, stop };
  } catch (error) {
    await platform?.close().catch(() => {});
    await releaseLock();
    throw error;
  }
}
