// Measures bulk issuance on the embedded database: `npx tsx scripts/bench-bulk.ts [ROWS]`.
// Prints credentials per second for issuance.issueMany alone and for a whole bulk run (CSV to credentials).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awardCredential } from '../src/issuance/award.js';
import { bulkSourceKey } from '../src/issuance/bulk.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/platform.js';
import { sqlDefinition } from '../test/helpers/definitions.js';

const rows = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-bench-'));
const platform = await createPlatform(
  loadConfig({
    SKILLPROOF_DATA_DIR: dir,
    SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
  }),
  { queue: { pollingIntervalSeconds: 0.5 } },
);
try {
  const user = await platform.accounts.signUp({
    email: 'bench@example.org',
    name: 'Bench',
    password: 'a long password!',
  });
  const org = await platform.accounts.createOrganization(user.id, { name: 'Bench Academy' });
  const { record } = await platform.catalog.create(org.id, sqlDefinition({ prerequisites: [] }));
  const version = await platform.catalog.publish(org.id, record.id);
  const profile = await platform.catalog.issuerProfile(org.id);

  const items = Array.from({ length: rows }, (_, i) => {
    const email = `direct${i}@example.org`;
    return {
      input: awardCredential({
        achievement: version.achievement as never,
        recipient: { email },
        awardedAt: new Date(),
      }),
      sourceKey: bulkSourceKey(org.id, { achievementId: record.id, email }),
    };
  });
  let began = performance.now();
  await platform.issuance.issueMany({ orgId: org.id, profile }, items);
  let seconds = (performance.now() - began) / 1000;
  console.log(`issueMany: ${rows} credentials in ${seconds.toFixed(2)} s = ${(rows / seconds).toFixed(0)}/s`);

  const csv =
    'email,name,achievement\n' +
    Array.from({ length: rows }, (_, i) => `run${i}@example.org,Learner ${i},${record.id}`).join('\n') +
    '\n';
  await platform.queue.work();
  began = performance.now();
  const { run } = await platform.bulk.start(org.id, Buffer.from(csv), user.id);
  for (;;) {
    const current = await platform.bulk.status(org.id, run.id);
    if (current.state === 'completed' || current.state === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  seconds = (performance.now() - began) / 1000;
  console.log(
    `bulk run (CSV, claims, notices, progress): ${rows} credentials in ${seconds.toFixed(2)} s = ${(rows / seconds).toFixed(0)}/s`,
  );
} finally {
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
}
