import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { demoAccounts } from '../../src/demo/seed.js';
import { loadConfig } from '../../src/platform/config.js';
import { readBackup } from '../../src/platform/db/backup.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { checkIntegrity } from '../../src/platform/db/integrity.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * Backups while the server runs: `skillproof db backup` finds the data folder held by a running server and has
 * that server take the backup (GET /api/admin/backup) while other clients keep issuing and verifying; the copy is
 * then restored into a new folder, reads back whole, and every credential issued before it began is there and
 * verifies on the restored instance, whose tokens still work.
 */
const root = mkdtempSync(path.join(tmpdir(), 'skillproof-online-backup-'));
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** A port free now, so the server's address (which its lock records) is known before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

it(
  'backs up a running instance while requests are served; the restored copy holds and verifies what was issued',
  { timeout: 600_000 },
  async () => {
    const port = await freePort();
    const env = (dataDir: string) => ({
      PORT: String(port),
      SKILLPROOF_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SKILLPROOF_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SKILLPROOF_RATE_LIMIT_ALLOW: '127.0.0.1',
    });
    const source = path.join(root, 'source');
    const server = await startServer(loadConfig(env(source)), {
      init: true,
      seedDemo: true,
      workers: false,
      print: () => {},
    });
    servers.push(server);
    const { accounts } = server.platform;
    const tokenOf = async (email: string) => {
      const user = (await accounts.findUserByEmail(email))!;
      return (await accounts.createApiToken(user.id, { name: 'drill', scopes: ['read', 'write'] })).token;
    };
    const adminEmail = demoAccounts.find((a) => a.email.startsWith('admin@'))!.email;
    const issuerEmail = demoAccounts.find((a) => a.email.startsWith('issuer@'))!.email;
    const adminToken = await tokenOf(adminEmail);
    const issuerToken = await tokenOf(issuerEmail);
    const issuerUser = (await accounts.findUserByEmail(issuerEmail))!;
    const orgId = (await accounts.memberships(issuerUser.id)).find((m) => m.roles.includes('issuer'))!.org.id;
    const issuer = server.platform.keys.did(orgId);

    // Clients issuing and verifying over HTTP, until told to stop.
    const issued: { at: number; vc: Record<string, unknown> }[] = [];
    const failures: string[] = [];
    let verified = 0;
    let running = true;
    const post = (url: string, body: unknown) =>
      fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${issuerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const client = async () => {
      while (running) {
        const response = await post(`/issuers/${orgId}/credentials/issue`, {
          credential: { ...achievementCredential(), issuer },
        });
        if (response.status !== 201) {
          failures.push(`issue ${response.status} ${await response.text()}`);
          continue;
        }
        const vc = ((await response.json()) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
        issued.push({ at: Date.now(), vc });
        const check = await post('/credentials/verify', { verifiableCredential: vc });
        if (check.status === 200 && ((await check.json()) as { verified?: boolean }).verified === true) verified += 1;
        else failures.push(`verify ${check.status}`);
      }
    };
    const clients = [client(), client(), client()];
    while (issued.length < 10) await new Promise((resolve) => setTimeout(resolve, 50));

    // The folder is held by the server: the command asks it for the backup, as the instance admin.
    const file = path.join(root, 'online.backup');
    const startedAt = Date.now();
    const before = issued.length;
    const backup = await cli(['db', 'backup', file, '--json'], {
      SKILLPROOF_DATA_DIR: source,
      SKILLPROOF_TOKEN: adminToken,
      XDG_CONFIG_HOME: root,
    });
    const finishedAt = Date.now();
    const duringBackup = issued.filter((i) => i.at > startedAt && i.at < finishedAt).length;
    // A little more traffic after the backup, which the copy must not hold.
    const target = issued.length + 5;
    while (issued.length < target) await new Promise((resolve) => setTimeout(resolve, 50));
    running = false;
    await Promise.all(clients);
    expect(backup.code, backup.stderr).toBe(0);
    const result = JSON.parse(backup.stdout) as { server: string; sha256: string; schema: string };
    expect(result.server).toBe(server.url);
    expect(result.schema).toMatch(/^\d{4}-/);
    expect(readBackup(file).header.sha256).toBe(result.sha256);
    expect(failures).toEqual([]);
    // Requests were served while the backup was taken (the command runs for seconds).
    expect(duringBackup).toBeGreaterThan(0);
    expect(verified).toBe(issued.length);
    // A non-admin is refused, and says why.
    const refused = await cli(['db', 'backup', path.join(root, 'refused.backup')], {
      SKILLPROOF_DATA_DIR: source,
      SKILLPROOF_TOKEN: issuerToken,
      XDG_CONFIG_HOME: root,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Only an instance admin may do this');
    // The backup is in the running instance's audit log, as the admin's.
    const backups = (await (
      await fetch(`${server.url}/api/admin/audit?action=database.backed-up`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { entries: { actor: { email: string } }[] };
    expect(backups.entries.map((e) => e.actor.email)).toEqual([adminEmail]);
    await server.stop();
    servers.pop();

    // Restore into a new folder, with the master key kept apart from the backup.
    const restoredDir = path.join(root, 'restored');
    const restored = await cli(['db', 'restore', file], { SKILLPROOF_DATA_DIR: restoredDir });
    expect(restored.code, restored.stderr).toBe(0);
    copyFileSync(path.join(source, 'master.key'), path.join(restoredDir, 'master.key'));
    const handle = await openDatabase({ url: undefined, dataDir: restoredDir, amcheck: true });
    try {
      const report = await checkIntegrity(handle, { thorough: true, dataDir: restoredDir });
      expect(report.ok, JSON.stringify(report)).toBe(true);
    } finally {
      await handle.close();
    }

    const again = await startServer(loadConfig(env(restoredDir)), { workers: false, print: () => {} });
    servers.push(again);
    const read = (url: string, token: string) =>
      fetch(`${again.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    const held = new Set<string>();
    for (let offset = 0; ; offset += 200) {
      const page = (await (
        await read(`/api/orgs/${orgId}/credentials?limit=200&offset=${offset}`, issuerToken)
      ).json()) as { credentials: { credentialId: string }[]; total: number };
      for (const c of page.credentials) held.add(c.credentialId);
      if (offset + 200 >= page.total) break;
    }
    // Everything issued before the backup began is in the copy; nothing issued after it ended is.
    const missing = issued.slice(0, before).filter((i) => !held.has(i.vc.id as string));
    expect(missing).toEqual([]);
    const after = issued.filter((i) => i.at > finishedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((i) => held.has(i.vc.id as string))).toEqual([]);
    // Every credential the copy holds verifies on the restored instance.
    const inCopy = issued.filter((i) => held.has(i.vc.id as string));
    for (const { vc } of inCopy) {
      const response = await fetch(`${again.url}/credentials/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiableCredential: vc }),
      });
      expect(((await response.json()) as { verified: boolean }).verified, String(vc.id)).toBe(true);
    }
    // The admin's token still works on the copy; its audit log ends before the backup's own entry.
    const copyLog = await read('/api/admin/audit?action=database.backed-up', adminToken);
    expect(copyLog.status).toBe(200);
    expect(((await copyLog.json()) as { entries: unknown[] }).entries).toEqual([]);
  },
);
