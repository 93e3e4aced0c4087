import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../src/app/platform.js';
import { demoAccounts, seedDemo } from '../../src/demo/seed.js';
import { loadConfig } from '../../src/platform/config.js';
import { backupEmbedded, readBackup, restoreEmbedded } from '../../src/platform/db/backup.js';
import { RefusedToStart } from '../../src/platform/errors.js';

const root = mkdtempSync(path.join(tmpdir(), 'skillproof-drill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('restore drill', () => {
  it(
    'issue, back up while open, destroy, restore: every credential verifies and every session works',
    { timeout: 600_000 },
    async () => {
      const dataDir = path.join(root, 'data');
      // The master key lives apart from the data (and from the backup).
      const config = loadConfig({
        SKILLPROOF_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'),
      });
      const platform = await createPlatform(config, { init: true });
      await seedDemo(platform);
      const learner = (await platform.accounts.findUserByEmail(demoAccounts[2].email))!;
      const credentials = await platform.issuance.ofRecipient(learner.id);
      expect(credentials.length).toBe(2);
      const sessions = await Promise.all(
        demoAccounts.map(async (account) => {
          const user = (await platform.accounts.findUserByEmail(account.email))!;
          return { userId: user.id, token: (await platform.accounts.startSession(user.id)).token };
        }),
      );
      // A development key file in the folder must stay out of the backup too.
      const devKey = randomBytes(32).toString('hex');
      writeFileSync(path.join(dataDir, 'master.key'), devKey);
      // Online: the platform stays open while the backup is made.
      const file = path.join(root, 'skillproof.backup');
      const header = await backupEmbedded(platform.database, file);
      expect(header.schema).toMatch(/^\d{4}-/);
      const { tar } = readBackup(file);
      expect(tar.includes(Buffer.from('PG_VERSION'))).toBe(true);
      expect(tar.includes(Buffer.from(devKey))).toBe(false);
      expect(tar.includes(Buffer.from('master.key'))).toBe(false);
      await platform.close();

      rmSync(dataDir, { recursive: true, force: true });
      await expect(createPlatform(config, { init: false })).rejects.toThrow(RefusedToStart);
      await restoreEmbedded(file, dataDir, { holdsDatabase: false });
      expect(existsSync(path.join(dataDir, 'master.key'))).toBe(false);

      const restored = await createPlatform(config, { init: false });
      try {
        for (const credential of credentials) {
          const result = await restored.verifier.verify({ text: credential.document });
          expect(result.verified, JSON.stringify(result)).toBe(true);
        }
        expect((await restored.issuance.ofRecipient(learner.id)).map((c) => c.id).sort()).toEqual(
          credentials.map((c) => c.id).sort(),
        );
        for (const session of sessions) {
          const caller = await restored.accounts.resolveSession(session.token);
          expect(caller).toMatchObject({ kind: 'session', user: { id: session.userId } });
        }
      } finally {
        await restored.close();
      }

      // A damaged file and one from a newer schema are refused, before anything is touched.
      const bytes = readFileSync(file);
      bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
      writeFileSync(path.join(root, 'damaged.backup'), bytes);
      expect(() => readBackup(path.join(root, 'damaged.backup'))).toThrow(/checksum does not match/);
      const text = readFileSync(file);
      const newline = text.indexOf(0x0a, text.indexOf(0x0a) + 1);
      const newer = JSON.parse(text.subarray(text.indexOf(0x0a) + 1, newline).toString());
      newer.schema = '9999-from-the-future';
      writeFileSync(
        path.join(root, 'newer.backup'),
        Buffer.concat([Buffer.from(`SKILLPROOF-BACKUP 1\n${JSON.stringify(newer)}\n`), text.subarray(newline + 1)]),
      );
      expect(() => readBackup(path.join(root, 'newer.backup'))).toThrow(/newer Skillproof.*9999-from-the-future/);
      await expect(restoreEmbedded(file, dataDir, { holdsDatabase: true })).rejects.toThrow(/already holds a database/);
    },
  );
});
