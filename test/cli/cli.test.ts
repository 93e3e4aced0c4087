import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { keyPairFromSecretMultibase } from '../../src/vc/multikey.js';
import { achievementCredential } from '../helpers/credentials.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { badgeSvg, solidPng } from '../helpers/images.js';

/** The `skillproof` command as a user runs it: a separate process, its output and exit code. */
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function cli(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin ?? '');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('usage', () => {
  it('prints help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'db', 'demo', 'users', 'login']) expect(result.stdout).toContain(command);
  });
  it('exits 2 on an unknown command or a missing option', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['users', 'create', '--name', 'x'])).code).toBe(2);
  });
  it('exits 2 on a bad setting', async () => {
    const result = await cli(['db', 'migrate'], { PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be a whole number');
  });
  it('serves from several processes only on PostgreSQL, and refuses a bad process count', async () => {
    const embedded = await cli(['serve', '--processes', '2'], { SKILLPROOF_DATA_DIR: tempDir('skillproof-cli-') });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('Several processes need PostgreSQL');
    const zero = await cli(['serve', '--processes', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--processes takes a whole number');
  });
  it('exits 1 with a clear message when no server answers', async () => {
    const result = await cli(['whoami', '--url', 'http://127.0.0.1:9', '--token', 'sp_x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No Skillproof server answers');
  });
});

describe('direct database commands', () => {
  // Each CLI call is a process of its own (about 3 s on a loaded 2-core machine): these tests make many.
  it('migrates, seeds the demo once, and refuses while a server holds the database', { timeout: 180_000 }, async () => {
    const dataDir = tempDir('skillproof-cli-');
    const env = { SKILLPROOF_DATA_DIR: dataDir };
    // A new folder: refused as a lost one would be, then made on purpose.
    const refusedNew = await cli(['db', 'migrate'], env);
    expect(refusedNew.code).toBe(1);
    expect(refusedNew.stderr).toContain('There is no Skillproof database');
    const migrated = await cli(['db', 'migrate', '--init', '--json'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain('0001-accounts');
    expect(JSON.parse((await cli(['db', 'migrate', '--json'], env)).stdout).applied).toEqual([]);

    const seeded = await cli(['demo', 'seed', '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout).created).toBe(true);
    expect(JSON.parse((await cli(['demo', 'seed', '--json'], env)).stdout).created).toBe(false);
    expect(JSON.parse(seeded.stdout).logins).toContainEqual(
      expect.objectContaining({ email: 'admin@demo.skillproof.test', isAdmin: true }),
    );
    expect(JSON.parse(seeded.stdout).publicPages).toEqual({
      credential: expect.stringMatching(/^http:\/\/localhost:\d+\/c\/\S+$/),
      profile: expect.stringMatching(/\/u\/lea-learner$/),
    });
    expect((await cli(['demo', 'seed'], env)).stdout).toContain('/u/lea-learner');

    const granted = await cli(['admin', 'grant', 'Learner@Demo.Skillproof.test', '--json'], env);
    expect(granted.code, granted.stderr).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({
      user: { email: 'learner@demo.skillproof.test' },
      isAdmin: true,
    });
    const unknown = await cli(['admin', 'grant', 'nobody@example.org'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('An account with that email was not found');
    // The grant is in the audit log, as done by this command on this machine; the refused one is not.
    const database = await openDatabase({ url: undefined, dataDir });
    try {
      const entries = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', 'like', 'admin.%')
        .execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'admin.granted',
        actor_kind: 'command',
        target: 'learner@demo.skillproof.test',
        details: { command: 'skillproof admin grant', host: hostname() },
      });
    } finally {
      await database.close();
    }

    const server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      workers: false,
    });
    try {
      const refused = await cli(['db', 'migrate'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is in use by a Skillproof server (pid ${process.pid}`);
      const seedRefused = await cli(['demo', 'seed'], env);
      expect(seedRefused.code).toBe(1);
    } finally {
      await server.stop();
    }
    expect((await cli(['db', 'migrate'], env)).code).toBe(0);
  });
});

describe('skills import', () => {
  it('loads an O*NET-format folder into the embedded database, and says what is missing', async () => {
    const dataDir = tempDir('skillproof-cli-skills-');
    const onet = tempDir('skillproof-onet-');
    writeFileSync(
      path.join(onet, 'Occupation Data.txt'),
      'O*NET-SOC Code\tTitle\tDescription\n15-1252.00\tSoftware Developers\tDevelop software.\n',
    );
    writeFileSync(
      path.join(onet, 'Technology Skills.txt'),
      'O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand\n15-1252.00\tPostgreSQL\t43232306\tData base software\tY\tY\n',
    );
    const env = { SKILLPROOF_DATA_DIR: dataDir };
    expect((await cli(['db', 'migrate', '--init'], env)).code).toBe(0);
    const imported = await cli(['skills', 'import', '--onet', onet, '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ framework: 'O*NET', skills: 1, occupations: 1, links: 1 });
    expect((await cli(['skills', 'import'], env)).code).toBe(2);
    const missing = await cli(['skills', 'import', '--esco', onet], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('esco-v1.1.1-classification-en-csv.zip');
  });
});

describe('commands over the API', () => {
  let server: RunningServer;
  let home: string;
  beforeAll(async () => {
    const dataDir = tempDir('skillproof-cli-api-');
    home = tempDir('skillproof-cli-home-');
    server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      init: true,
      seedDemo: true,
      workers: false,
    });
  });
  afterAll(() => server?.stop());

  it('logs in, saves a private token, creates users with roles, and logs out', async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    const login = await cli(
      ['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'],
      env,
      'skillproof-demo\n',
    );
    expect(login.code, login.stderr).toBe(0);
    const credentials = path.join(home, 'skillproof', 'credentials.json');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);

    const who = await cli(['whoami', '--json'], env);
    expect(who.code, who.stderr).toBe(0);
    const session = JSON.parse(who.stdout);
    const org = session.memberships.find((m: { roles: string[] }) => m.roles.includes('owner')).org;

    const created = await cli(
      [
        'users',
        'create',
        '--email',
        'new.assessor@example.org',
        '--name',
        'New Assessor',
        '--org',
        org.id,
        '--role',
        'assessor',
        '--password-stdin',
        '--json',
      ],
      env,
      'a fine long password\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).roles).toEqual(['assessor']);

    const weak = await cli(
      ['users', 'create', '--email', 'weak@example.org', '--name', 'W', '--password-stdin'],
      env,
      'short\n',
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('at least 10 characters');

    const wrongPassword = await cli(
      ['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'],
      env,
      'nope\n',
    );
    expect(wrongPassword.code).toBe(1);

    expect((await cli(['logout'], env)).code).toBe(0);
    const after = await cli(['whoami'], env);
    expect(after.code).toBe(1);
  });

  it('issues, verifies, bakes and unbakes credentials', { timeout: 180_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    expect(
      (await cli(['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'], env, 'skillproof-demo\n'))
        .code,
    ).toBe(0);
    const dir = tempDir('skillproof-cli-files-');
    const unsigned = path.join(dir, 'unsigned.json');
    writeFileSync(unsigned, JSON.stringify(achievementCredential()));

    const issued = await cli(['issue', unsigned, '-o', path.join(dir, 'signed.json')], env);
    expect(issued.code, issued.stderr).toBe(0);
    const signed = JSON.parse(readFileSync(path.join(dir, 'signed.json'), 'utf8'));
    expect(signed.proof.cryptosuite).toBe('eddsa-rdfc-2022');

    const verified = await cli(['verify', path.join(dir, 'signed.json')], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^VERIFIED/);
    expect(verified.stdout).toContain('✓ proof');
    const asJson = JSON.parse((await cli(['verify', path.join(dir, 'signed.json'), '--json'], env)).stdout);
    expect(asJson.verified).toBe(true);

    writeFileSync(path.join(dir, 'forged.json'), JSON.stringify({ ...signed, name: 'Forged' }));
    const forged = await cli(['verify', path.join(dir, 'forged.json')], env);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(/^NOT VERIFIED/);
    expect(forged.stdout).toContain('✗ proof');

    writeFileSync(path.join(dir, 'garbage.txt'), 'this is not a credential');
    expect((await cli(['verify', path.join(dir, 'garbage.txt')], env)).code).toBe(2);
    expect((await cli(['verify', path.join(dir, 'missing.json')], env)).code).toBe(2);

    const fromStdin = await cli(['verify', '-'], env, JSON.stringify(signed));
    expect(fromStdin.code).toBe(0);

    writeFileSync(path.join(dir, 'badge.png'), solidPng());
    writeFileSync(path.join(dir, 'badge.svg'), badgeSvg);
    for (const image of ['badge.png', 'badge.svg']) {
      const out = path.join(dir, `baked-${image}`);
      expect((await cli(['bake', path.join(dir, 'signed.json'), path.join(dir, image), '-o', out], env)).code).toBe(0);
      expect((await cli(['verify', out], env)).code).toBe(0);
      expect(JSON.parse((await cli(['unbake', out], env)).stdout)).toEqual(signed);
      const twice = await cli(['bake', path.join(dir, 'signed.json'), out, '-o', path.join(dir, 'twice')], env);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('already holds a credential');
    }
    expect((await cli(['unbake', path.join(dir, 'badge.png')], env)).code).toBe(2);

    const jwt = await cli(['issue', unsigned, '--format', 'jwt', '--algorithm', 'RS256'], env);
    expect(jwt.code, jwt.stderr).toBe(0);
    // The VC-API answers the JWT enveloped; the CLI writes the compact JWS itself.
    expect(jwt.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await cli(['verify', '-'], env, jwt.stdout)).code).toBe(0);
    expect((await cli(['issue', unsigned, '--format', 'xml'], env)).code).toBe(2);

    const keys = await cli(['keys', 'list'], env);
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.stdout).toContain('did:web:');
    const rotated = await cli(['keys', 'rotate', '--json'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout).verificationMethod).toContain('#z6Mk');
  });

  it('issues a CSV in bulk: preview, progress, exit codes', { timeout: 180_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    expect(
      (await cli(['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'], env, 'skillproof-demo\n'))
        .code,
    ).toBe(0);
    const session = JSON.parse((await cli(['whoami', '--json'], env)).stdout);
    const orgId = session.memberships.find((m: { roles: string[] }) => m.roles.includes('issuer')).org.id as string;
    const { platform } = server;
    const { record } = await platform.catalog.create(orgId, sqlDefinition({ prerequisites: [] }));
    await platform.catalog.publish(orgId, record.id);
    await platform.queue.work();

    const dir = tempDir('skillproof-cli-bulk-');
    const header = 'email,name,achievement,score\n';
    const good = Array.from({ length: 5 }, (_, i) => `cli${i}@example.org,Learner ${i},${record.id},${70 + i}`);
    writeFileSync(path.join(dir, 'mixed.csv'), header + [...good, `nope,Bad,${record.id},500`].join('\n') + '\n');
    writeFileSync(path.join(dir, 'clean.csv'), header + good.slice(0, 3).join('\n') + '\n');
    writeFileSync(path.join(dir, 'wrong.csv'), 'mail,who\nx,y\n');

    const dry = await cli(['issue-bulk', path.join(dir, 'mixed.csv'), '--dry-run'], env);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('6 rows: 5 ok, 1 with errors');
    expect(dry.stdout).toMatch(/row 6 \(nope\): .*not an email address.*0 to 100/);
    expect(
      await platform.database.db
        .selectFrom('credentials')
        .select('id')
        .where('achievement_id', '=', record.id)
        .execute(),
    ).toHaveLength(0);

    const mixed = await cli(['issue-bulk', path.join(dir, 'mixed.csv'), '--org', orgId], env);
    expect(mixed.code, mixed.stderr).toBe(1);
    expect(mixed.stdout).toContain('5 issued, 0 issued before, 1 errors');
    expect(mixed.stdout).toContain('/errors.csv');

    const clean = await cli(['issue-bulk', path.join(dir, 'clean.csv'), '--json'], env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout).run).toMatchObject({ state: 'completed', issued: 0, existing: 3, errors: 0 });
    expect(
      await platform.database.db
        .selectFrom('credentials')
        .select('id')
        .where('achievement_id', '=', record.id)
        .execute(),
    ).toHaveLength(5);

    const wrong = await cli(['issue-bulk', path.join(dir, 'wrong.csv')], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('lacks the columns email, name, achievement');
    expect((await cli(['issue-bulk', path.join(dir, 'missing.csv')], env)).code).toBe(2);
  });

  it('logs in without a terminal and remembers the instance it signed in to', { timeout: 180_000 }, async () => {
    const own = tempDir('skillproof-cli-remember-');
    // No SKILLPROOF_URL: the instance comes from --url at login, then from what login remembered.
    const env = { SKILLPROOF_URL: '', SKILLPROOF_PASSWORD: '', XDG_CONFIG_HOME: own };
    const noPassword = await cli(['login', '--url', server.url, '--email', 'issuer@demo.skillproof.test'], env);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('--password-stdin');
    expect(noPassword.stderr).toContain('SKILLPROOF_PASSWORD');
    expect(noPassword.stderr).not.toMatch(/\n\s+at /);

    const login = await cli(['login', '--url', `${server.url}/`, '--email', 'issuer@demo.skillproof.test'], {
      ...env,
      SKILLPROOF_PASSWORD: 'skillproof-demo',
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${server.url} as issuer@demo.skillproof.test`);

    const who = await cli(['whoami'], env);
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toContain(`<issuer@demo.skillproof.test> on ${server.url}`);
    // An explicit address still wins over the remembered one.
    const elsewhere = await cli(['whoami', '--url', 'http://127.0.0.1:9'], env);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('Not signed in');
    const nonsense = await cli(['whoami', '--url', 'not a url'], env);
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toContain('not the address of a Skillproof instance');

    expect((await cli(['login', '--help'], env)).stdout).toContain('SKILLPROOF_PASSWORD');
    expect((await cli(['logout'], env)).code).toBe(0);
    const after = await cli(['whoami'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('Not signed in');
  });

  it('revokes, suspends and unsuspends credentials, by id or by file', { timeout: 180_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    expect(
      (await cli(['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'], env, 'skillproof-demo\n'))
        .code,
    ).toBe(0);
    const dir = tempDir('skillproof-cli-status-');
    // The README's example unsigned credential, as a reader copies it.
    const readme = readFileSync('README.md', 'utf8');
    const example = /An unsigned credential for `skillproof issue`[^]*?```json\n([^]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const unsigned = path.join(dir, 'unsigned.json');
    writeFileSync(unsigned, example!);
    const suspendable = path.join(dir, 'suspendable.json');
    const issued = await cli(['issue', unsigned, '--status-purpose', 'suspension', '-o', suspendable], env);
    expect(issued.code, issued.stderr).toBe(0);
    const signed = JSON.parse(readFileSync(suspendable, 'utf8'));
    expect(signed.credentialStatus.statusPurpose).toBe('suspension');
    expect((await cli(['issue', unsigned, '--status-purpose', 'sometimes'], env)).code).toBe(2);

    const verified = await cli(['verify', suspendable], env);
    expect(verified.code, verified.stdout).toBe(0);
    const suspended = await cli(['suspend', suspendable, '--reason', 'under review'], env);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(suspended.stdout).toContain(`${signed.id}: now suspended`);
    const whileSuspended = await cli(['verify', suspendable], env);
    expect(whileSuspended.code).toBe(1);
    expect(whileSuspended.stdout).toContain('suspended');
    expect((await cli(['suspend', signed.id], env)).stderr).toContain('already suspended');

    const lifted = await cli(['unsuspend', signed.id, '--json'], env);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(JSON.parse(lifted.stdout)).toMatchObject({ credentialId: signed.id, status: 'active' });
    expect((await cli(['verify', suspendable], env)).code).toBe(0);

    const noReason = await cli(['revoke', signed.id], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const revoked = await cli(['revoke', '-', '--reason', 'issued in error'], env, JSON.stringify(signed));
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('now revoked (issued in error)');
    // Its one status entry is the suspension entry, whose bit a revocation sets for good.
    const afterRevoke = await cli(['verify', suspendable], env);
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.stdout).toContain('✗ status');
    const undo = await cli(['unsuspend', signed.id], env);
    expect(undo.code).toBe(2);
    expect(undo.stderr).toContain('revoked');

    // A credential with a revocation entry only (the default for Open Badges) cannot be suspended.
    const plain = await cli(['issue', unsigned], env);
    const plainId = JSON.parse(plain.stdout).id as string;
    const notSuspendable = await cli(['suspend', plainId], env);
    expect(notSuspendable.code).toBe(2);
    expect(notSuspendable.stderr).toContain('revocation entry only');
    const unknown = await cli(['revoke', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--reason', 'x'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not found');
    writeFileSync(path.join(dir, 'garbage.json'), '{ not json');
    const garbage = await cli(['revoke', path.join(dir, 'garbage.json'), '--reason', 'x'], env);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).not.toMatch(/\n\s+at /);
  });

  it('verifies locally with plain messages (no error class names)', { timeout: 120_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    expect(
      (await cli(['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'], env, 'skillproof-demo\n'))
        .code,
    ).toBe(0);
    const dir = tempDir('skillproof-cli-local-');
    writeFileSync(path.join(dir, 'unsigned.json'), JSON.stringify(achievementCredential()));
    const issued = await cli(['issue', path.join(dir, 'unsigned.json'), '-o', path.join(dir, 'signed.json')], env);
    expect(issued.code, issued.stderr).toBe(0);
    // This instance's did:web is a plain http:// address on loopback, which a local verification never fetches.
    const local = await cli(['verify', '--local', path.join(dir, 'signed.json')], env);
    expect(local.code).toBe(1);
    expect(local.stdout).toContain('✗ proof: localhost:0 is a private or local address, which is not fetched.');
    expect(local.stdout + local.stderr).not.toMatch(/DomainError|VcError|Error:/);
  });

  it('generates keys and verifies locally, offline', async () => {
    const generated = await cli(['keys', 'generate']);
    expect(generated.code).toBe(0);
    const key = JSON.parse(generated.stdout);
    expect(key.publicKeyMultibase).toMatch(/^z6Mk/);
    const pair = keyPairFromSecretMultibase(key.secretKeyMultibase);
    const credential = achievementCredential({
      id: 'urn:uuid:9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
      issuer: { id: key.controller, type: ['Profile'], name: 'Local Issuer' },
      validFrom: '2026-01-01T00:00:00Z',
    });
    const signed = await signEddsaRdfc2022(credential, pair.privateKey!, { verificationMethod: key.id });
    const local = await cli(['verify', '--local', '-'], {}, JSON.stringify(signed));
    expect(local.code, local.stdout + local.stderr).toBe(0);
  });
});
