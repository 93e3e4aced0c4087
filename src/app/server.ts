import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { demoAccounts, demoPasswordFor, formatLogins, replacePublishedDemoPasswords, seedDemo } from '../demo/seed.js';
import { seedTalentDemo } from '../demo/talent.js';
import { seedCloudPipeline } from '../demo/pipeline.js';
import { seedOutcomeHistory } from '../demo/outcomes.js';
import type { Config } from '../platform/config.js';
import { assertDataFolder } from '../platform/data-folder.js';
import { acquireDataLock } from '../platform/data-lock.js';
import { redact } from '../platform/db/database.js';
import { buildHttpApp } from './http.js';
import { createPlatform, type Platform } from './platform.js';

export interface ServeOptions {
  seedDemo?: boolean;
  /** With seedDemo: also the hiring demo (Contoso's jobs and 300 synthetic candidates; about a minute the first time). */
  seedTalent?: boolean;
  /**
   * The first run: an empty data folder (or PostgreSQL database) becomes a new instance. Without it, starting on
   * one is refused, since a deleted or unmounted folder looks just like a new one.
   */
  init?: boolean;
  /** Built web app; defaults to the package's `web/dist`. */
  webDir?: string;
  /** Also run background workers in this process (default). */
  workers?: boolean;
  /** Serve https with this certificate and key (PEM), e.g. a self-signed one for local conformance runs. */
  tls?: { cert: Buffer; key: Buffer };
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
  // Before the lock, which would make the folder.
  if (!config.databaseUrl) assertDataFolder(config.dataDir, options.init ?? false);
  const releaseLock = config.databaseUrl
    ? async () => {}
    : await acquireDataLock(config.dataDir, config.publicUrl, (error) => {
        print(`The lock on ${config.dataDir} was lost (${error.message}); shutting down to protect the data.`);
        void stop().finally(() => process.exit(1));
      });
  let platform: Platform | undefined;
  let talent: Awaited<ReturnType<typeof seedTalentDemo>> | undefined;
  let history: Awaited<ReturnType<typeof seedOutcomeHistory>> | undefined;
  let pipeline: Awaited<ReturnType<typeof seedCloudPipeline>> | undefined;
  try {
    platform = await createPlatform(config, { init: options.init ?? false });
    // The bundled ESCO and O*NET subsets: a refresh when already loaded, so upgrades bring new data.
    await platform.skills.loadBundled();
    if (options.seedDemo) {
      // The published password only where nobody else can reach the instance; a random one, printed once, elsewhere.
      const seeded = await seedDemo(platform, { password: demoPasswordFor(config.host) });
      if (seeded.passwordsSet) print(formatLogins(seeded));
      if (options.seedTalent) talent = await seedTalentDemo(platform);
      if (options.seedTalent) pipeline = await seedCloudPipeline(platform);
      if (options.seedTalent) history = await seedOutcomeHistory(platform);
    } else {
      const replaced = await replacePublishedDemoPasswords(platform, config.host);
      if (replaced.length) {
        print(
          `This instance is bound to ${config.host}, so the demo accounts lost the published password. ` +
            'Their new password, shown only now:',
        );
        for (const login of replaced) print(`  ${login.email.padEnd(32)} ${login.password}`);
      }
    }
    if (options.workers !== false) {
      await platform.queue.work();
      platform.mail.startSweeping();
      platform.trustRefresh.startSweeping();
      platform.pathways.startSweeping();
      platform.oauth.startSweeping();
    }
    const app = await buildHttpApp(platform, {
      webDir: options.webDir ?? defaultWebDir,
      ...(options.tls ? { https: options.tls } : {}),
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `${options.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
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
    // Readers open the public address: links, badge images and DIDs are made from it, and the web app treats
    // another origin's images as foreign. It differs from the listening address behind a proxy or with `localhost`.
    const open = config.publicUrl;
    print(
      `Skillproof is running on ${open} (${where}). API docs: ${open}/docs` +
        (open === url ? '' : ` (listening on ${url})`),
    );
    if (talent) {
      print(
        `Contoso Talent's ranked candidates (sign in as ${demoAccounts[1].email}): ` +
          talent.jobs.map((job) => `${open}/hiring/${talent!.orgId}/jobs/${job.id}`).join(' , '),
      );
    }
    if (pipeline) {
      const team = pipeline.team?.size
        ? `, ${pipeline.team.size} members with day rates adding up to ${pipeline.team.totalDayRate}`
        : '';
      print(
        `Its cloud project's pipeline, an applicant at every stage and an invitation pending: ` +
          `${open}/hiring/jobs/${pipeline.jobId}/pipeline ; the best team from the ranked pool${team}: ` +
          `${open}/hiring/${pipeline.orgId}/jobs/${pipeline.jobId}/team ; the engagements, two closed with ` +
          `signed work history and references: ${open}/api/orgs/${pipeline.orgId}/engagements?status=closed&limit=20`,
      );
    }
    if (history) {
      print(
        `Outcome analytics on a synthetic history (2,000 synthetic workers, 5,000 engagements): ${open}/analytics ` +
          `(sign in as ${demoAccounts[3].email} for every cut, or ${demoAccounts[0].email} for the issuer's own)`,
      );
    }
    return { app, platform, url, stop };
  } catch (error) {
    await platform?.close().catch(() => {});
    await releaseLock();
    throw error;
  }
}
