import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/app/platform.js';
import { sqlDefinition } from '../test/helpers/definitions.js';
import type { FigureResult } from './figure.js';
import { threadCpu } from './thread-cpu.js';
import { scratchDatabase } from '../test/helpers/scratch-database.js';

/**
 * A bulk run as an issuer makes one: a CSV of `rows` learners (none has an account, so each gets a claim and
 * a notice) through the real bulk job (preview, start, the job until done), on a fresh embedded database in a
 * temp folder or a fresh PostgreSQL database (dropped afterwards). A few credentials are then verified through
 * the platform's verifier. Runs in the harness's child process.
 */
export async function measureBulk(options: { rows: number; postgres?: string }): Promise<FigureResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillproof-bench-bulk-'));
  let database: { url: string; drop: () => Promise<void> } | undefined;
  try {
    if (options.postgres) database = await scratchDatabase(options.postgres, 'skillproof_bench_bulk');
    const platform = await createPlatform(
      loadConfig({
        SKILLPROOF_DATA_DIR: dir,
        SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'silent',
        DATABASE_URL: database?.url ?? '',
      }),
      { queue: { pollingIntervalSeconds: 0.5 } },
    );
    try {
      const user = await platform.accounts.signUp({
        email: 'bench@example.org',
        name: 'Bench',
        password: 'a long enough password',
      });
      const org = await platform.accounts.createOrganization(user.id, { name: 'Bench Academy' });
      const { record } = await platform.catalog.create(org.id, sqlDefinition({ prerequisites: [] }));
      await platform.catalog.publish(org.id, record.id);
      const csv = Buffer.from(
        'email,name,achievement,score\n' +
          Array.from(
            { length: options.rows },
            (_, i) => `learner${i}@example.org,Learner ${i},${record.id},${50 + (i % 51)}`,
          ).join('\n') +
          '\n',
      );
      await platform.queue.work();
      const load = os.loadavg()[0]!;
      const cpuBefore = threadCpu();
      const began = performance.now();
      const preview = await platform.bulk.preview(org.id, csv);
      if (preview.totals.ok !== options.rows) throw new Error(`preview: ${JSON.stringify(preview.totals)}`);
      const { run } = await platform.bulk.start(org.id, csv, user.id);
      let current = run;
      while (current.state !== 'completed') {
        if (current.state === 'failed') throw new Error(`the bulk run failed: ${current.error}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        current = await platform.bulk.status(org.id, run.id);
      }
      const seconds = (performance.now() - began) / 1000;
      const cpuAfter = threadCpu();
      if (current.issued !== options.rows) throw new Error(`issued ${current.issued} of ${options.rows}`);

      const sample = await platform.database.db
        .selectFrom('credentials')
        .select('id')
        .orderBy('id')
        .limit(10)
        .execute();
      let verified = 0;
      for (const { id } of sample) {
        const { document } = await platform.issuance.find(id);
        if ((await platform.verifier.verify({ text: document })).verified) verified++;
      }
      return {
        skillproof: options.rows / seconds,
        reference: null,
        identical: null,
        details: {
          rows: options.rows,
          seconds: Number(seconds.toFixed(1)),
          verifiedSample: `${verified}/${sample.length}`,
          load1m: Number(load.toFixed(2)),
          // Where the CPU went, per credential: all threads (signing threads, V8's helpers) and the main thread
          // alone (the job, and on the embedded database the database too). Two cores give 2 s per second.
          ...(cpuBefore && cpuAfter
            ? {
                cpuMsPerCredential: Number((((cpuAfter.all - cpuBefore.all) * 1000) / options.rows).toFixed(2)),
                mainThreadMsPerCredential: Number(
                  (((cpuAfter.main - cpuBefore.main) * 1000) / options.rows).toFixed(2),
                ),
              }
            : {}),
        },
      };
    } finally {
      await platform.close();
    }
  } finally {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a PostgreSQL server answers at `url`. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
